/*
 * wordfreq: counts the words in text files and prints the most frequent
 * ones as a bar chart. A small WASI program for Gannet's README:
 *
 *   gannet run --dir examples/data::/data examples/wordfreq.wasm /data/gannets.txt
 *
 * Arguments: FILE... ("-" reads stdin). Options: -n N (how many words to
 * show, default 10, or $WORDFREQ_TOP), -m LEN (ignore words shorter than
 * LEN letters, default 1). Words are runs of letters, apostrophes inside a
 * word kept, folded to lower case (ASCII). Exit status: 0, or 1 if a file
 * could not be read, 2 for bad usage.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORD 64

struct entry {
    char *word;
    unsigned long count;
};

static struct entry *table;
static size_t capacity = 1024, used;
static unsigned long total_words;

static unsigned long hash(const char *s) {
    unsigned long h = 1469598103UL; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619UL;
    return h;
}

static void grow(void) {
    struct entry *old = table;
    size_t old_cap = capacity;
    capacity *= 2;
    table = calloc(capacity, sizeof *table);
    if (!table) { perror("wordfreq"); exit(1); }
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].word) continue;
        size_t j = hash(old[i].word) & (capacity - 1);
        while (table[j].word) j = (j + 1) & (capacity - 1);
        table[j] = old[i];
    }
    free(old);
}

static void count(const char *word) {
    if (used * 2 >= capacity) grow();
    size_t j = hash(word) & (capacity - 1);
    while (table[j].word && strcmp(table[j].word, word) != 0) j = (j + 1) & (capacity - 1);
    if (!table[j].word) {
        table[j].word = strdup(word);
        if (!table[j].word) { perror("wordfreq"); exit(1); }
        used++;
    }
    table[j].count++;
    total_words++;
}

static void scan(FILE *f, size_t min_len) {
    char word[MAX_WORD + 1];
    size_t len = 0;
    int c;
    do {
        c = fgetc(f);
        int letter = c != EOF && isalpha(c);
        /* an apostrophe between letters belongs to the word (don't, it's) */
        if (c == '\'' && len > 0) {
            int next = fgetc(f);
            if (next != EOF && isalpha(next)) {
                if (len < MAX_WORD) word[len++] = '\'';
                ungetc(next, f);
                continue;
            }
            if (next != EOF) ungetc(next, f);
        }
        if (letter) {
            if (len < MAX_WORD) word[len++] = (char)tolower(c);
        } else if (len > 0) {
            word[len] = '\0';
            if (len >= min_len) count(word);
            len = 0;
        }
    } while (c != EOF);
}

static int by_count(const void *a, const void *b) {
    const struct entry *x = a, *y = b;
    if (x->count != y->count) return x->count < y->count ? 1 : -1;
    return strcmp(x->word, y->word);
}

static void usage(void) {
    fprintf(stderr, "usage: wordfreq [-n TOP] [-m MINLEN] FILE...  (FILE - reads stdin)\n");
    exit(2);
}

int main(int argc, char **argv) {
    long top = 10, min_len = 1;
    const char *env_top = getenv("WORDFREQ_TOP");
    if (env_top) top = strtol(env_top, NULL, 10);
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) top = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc) min_len = strtol(argv[++i], NULL, 10);
        else usage();
    }
    if (i >= argc || top < 1 || min_len < 1) usage();

    table = calloc(capacity, sizeof *table);
    if (!table) { perror("wordfreq"); return 1; }
    int status = 0;
    for (; i < argc; i++) {
        FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
        if (!f) {
            fprintf(stderr, "wordfreq: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        scan(f, (size_t)min_len);
        if (f != stdin) fclose(f);
    }

    struct entry *list = malloc((used ? used : 1) * sizeof *list);
    if (!list) { perror("wordfreq"); return 1; }
    size_t n = 0;
    for (size_t j = 0; j < capacity; j++) if (table[j].word) list[n++] = table[j];
    qsort(list, n, sizeof *list, by_count);

    printf("%lu words, %zu distinct\n", total_words, n);
    unsigned long most = n ? list[0].count : 1;
    for (size_t j = 0; j < n && j < (size_t)top; j++) {
        int bar = (int)((list[j].count * 40 + most - 1) / most);
        printf("%6lu  %-14s ", list[j].count, list[j].word);
        for (int k = 0; k < bar; k++) fputs("\xe2\x96\x87", stdout); /* ▇ */
        putchar('\n');
    }
    return status;
}
