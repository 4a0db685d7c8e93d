;; A module name that is a path is an ES module to import (wasm
;; ESM integration): "./glue.js" provides `double`.
(module
  (import "./glue.js" "double" (func $double (param i32) (result i32)))
  (func (export "quadruple") (param i32) (result i32)
    (call $double (call $double (local.get 0)))))
