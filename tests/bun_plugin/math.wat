;; A module with no imports: functions, a memory and a global, imported by
;; name and as a whole. Assembled to math.wasm (`node build.mjs`).
(module
  (memory (export "mem") 1)
  (global (export "answer") i32 (i32.const 42))
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "mul") (param i64 i64) (result i64)
    (i64.mul (local.get 0) (local.get 1)))
  (func (export "store") (param i32 i32)
    (i32.store (local.get 0) (local.get 1))))
