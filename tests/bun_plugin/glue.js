/** Imported by glue.wat through its module name "./glue.js". */
export function double(x) {
  return x * 2;
}
