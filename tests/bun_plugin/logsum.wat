;; Imported as text: the plugin parses .wat files. Its `env.log` comes from
;; the plugin's `imports` option (see preload.js).
(module
  (import "env" "log" (func $log (param i32)))
  (func (export "sum") (param i32 i32) (result i32)
    (local $s i32)
    (local.set $s (i32.add (local.get 0) (local.get 1)))
    (call $log (local.get $s))
    (local.get $s)))
