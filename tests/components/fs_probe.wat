;; A component (world gannet:test/fs-probe) that tries filesystem operations
;; on its first preopen: `open(path, create, follow)` opens (or creates) a
;; file for writing and `unlink(path)` removes one; each returns 0, or
;; -(1 + error-code) when refused.
(module
  (import "wasi:filesystem/preopens@0.2.3" "get-directories" (func $dirs (param i32)))
  (import "wasi:filesystem/types@0.2.3" "[method]descriptor.open-at"
    (func $open_at (param i32 i32 i32 i32 i32 i32 i32)))
  (import "wasi:filesystem/types@0.2.3" "[method]descriptor.unlink-file-at"
    (func $unlink_at (param i32 i32 i32 i32)))
  (import "wasi:filesystem/types@0.2.3" "[resource-drop]descriptor" (func $drop (param i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32)
    (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and
      (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
      (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (if (local.get $old_size)
      (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size))))
    (local.get $p))
  ;; The first preopen's descriptor (list<tuple<descriptor, string>>: 12 bytes each).
  (func $root (result i32)
    (call $dirs (i32.const 16))
    (if (i32.eqz (i32.load (i32.const 20))) (then unreachable))
    (i32.load (i32.load (i32.const 16))))
  (func (export "open") (param $path i32) (param $len i32) (param $create i32) (param $follow i32)
    (result i32)
    ;; open-at(root, path-flags, path, open-flags, descriptor-flags { write }) at 32
    (call $open_at (call $root) (local.get $follow) (local.get $path) (local.get $len)
      (local.get $create) (i32.const 2) (i32.const 32))
    (if (i32.load8_u (i32.const 32))
      (then (return (i32.sub (i32.const -1) (i32.load8_u (i32.const 36))))))
    (call $drop (i32.load (i32.const 36)))
    (i32.const 0))
  (func (export "unlink") (param $path i32) (param $len i32) (result i32)
    (call $unlink_at (call $root) (local.get $path) (local.get $len) (i32.const 32))
    (if (i32.load8_u (i32.const 32))
      (then (return (i32.sub (i32.const -1) (i32.load8_u (i32.const 33))))))
    (i32.const 0)))
