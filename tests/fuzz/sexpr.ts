/**
 * A small s-expression reader and printer for binaryen's text output, so
 * the reducer can delete and replace subtrees. Comments are dropped;
 * strings and other atoms are kept verbatim.
 *
 * @module
 */

/** A list `( … )`; atoms are strings. */
export interface SList {
  items: SNode[];
}

/** A node of the tree. */
export type SNode = SList | string;

/** Parses text into its top-level nodes. */
export function parseSexpr(text: string): SNode[] {
  const root: SList = { items: [] };
  const stack: SList[] = [root];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ";" && text[i + 1] === ";") {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === "(" && text[i + 1] === ";") {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === "(" && text[i + 1] === ";") depth++, i++;
        else if (text[i] === ";" && text[i + 1] === ")") depth--, i++;
        i++;
      }
    } else if (c === "(") {
      const list: SList = { items: [] };
      stack[stack.length - 1].items.push(list);
      stack.push(list);
      i++;
    } else if (c === ")") {
      if (stack.length > 1) stack.pop();
      i++;
    } else if (c === " " || c === "\n" || c === "\t" || c === "\r") {
      i++;
    } else {
      const start = i;
      if (c === '"') {
        for (i++; i < n && text[i] !== '"'; i++) if (text[i] === "\\") i++;
        i++;
      } else {
        while (i < n && !" \n\t\r()".includes(text[i])) {
          if (text[i] === '"') {
            for (i++; i < n && text[i] !== '"'; i++) if (text[i] === "\\") i++;
          }
          i++;
        }
      }
      stack[stack.length - 1].items.push(text.slice(start, i));
    }
  }
  return root.items;
}

/** Prints nodes back to text (one line per top-level node). */
export function printSexpr(nodes: readonly SNode[]): string {
  const out: string[] = [];
  const walk = (node: SNode) => {
    if (typeof node === "string") {
      out.push(node);
      return;
    }
    out.push("(");
    node.items.forEach((item, k) => {
      if (k > 0) out.push(" ");
      walk(item);
    });
    out.push(")");
  };
  for (const node of nodes) {
    walk(node);
    out.push("\n");
  }
  return out.join("");
}

/** The head atom of a list (`func`, `i32.add`…), or "". */
export function head(node: SNode): string {
  return typeof node !== "string" && typeof node.items[0] === "string" ? node.items[0] : "";
}
