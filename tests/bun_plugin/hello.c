/*
 * A WASI command for the Bun plugin test: prints its arguments, an
 * environment variable and a file from a preopened directory, then exits
 * with status 3 (so the test sees `_start` return the status).
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    printf("hello.wasm argc=%d", argc);
    for (int i = 0; i < argc; i++) printf(" [%s]", argv[i]);
    const char *greeting = getenv("GREETING");
    printf(" GREETING=%s\n", greeting ? greeting : "(unset)");
    FILE *f = fopen("/data/note.txt", "r");
    if (!f) {
        perror("/data/note.txt");
        return 1;
    }
    char line[128];
    while (fgets(line, sizeof line, f)) printf("note: %s", line);
    fclose(f);
    return 3;
}
