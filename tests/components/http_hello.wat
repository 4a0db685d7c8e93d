;; A wasi:http/proxy-style component (world gannet:test/http-hello): answers
;; every request with status 200 and the body "hello from a component: PATH".
(module
  (import "wasi:io/streams@0.2.3" "[method]output-stream.blocking-write-and-flush"
    (func $write (param i32 i32 i32 i32)))
  (import "wasi:io/streams@0.2.3" "[resource-drop]output-stream" (func $drop_stream (param i32)))
  (import "wasi:http/types@0.2.3" "[constructor]fields" (func $fields (result i32)))
  (import "wasi:http/types@0.2.3" "[method]incoming-request.path-with-query"
    (func $path (param i32 i32)))
  (import "wasi:http/types@0.2.3" "[constructor]outgoing-response"
    (func $response (param i32) (result i32)))
  (import "wasi:http/types@0.2.3" "[method]outgoing-response.body" (func $body (param i32 i32)))
  (import "wasi:http/types@0.2.3" "[method]outgoing-body.write" (func $body_write (param i32 i32)))
  (import "wasi:http/types@0.2.3" "[static]outgoing-body.finish"
    (func $finish (param i32 i32 i32 i32)))
  (import "wasi:http/types@0.2.3" "[static]response-outparam.set"
    (func $set (param i32 i32 i32 i32 i32 i32)))
  (import "wasi:http/types@0.2.3" "[resource-drop]incoming-request" (func $drop_request (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 1024) "hello from a component: ")
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
  (func (export "wasi:http/incoming-handler@0.2.3#handle") (param $req i32) (param $out i32)
    (local $resp i32) (local $body i32) (local $stream i32)
    ;; path-with-query() -> option<string> at 16
    (call $path (local.get $req) (i32.const 16))
    (call $drop_request (local.get $req))
    (local.set $resp (call $response (call $fields)))
    (call $body (local.get $resp) (i32.const 32))
    (local.set $body (i32.load (i32.const 36)))
    (call $body_write (local.get $body) (i32.const 32))
    (local.set $stream (i32.load (i32.const 36)))
    ;; response-outparam.set(out, ok(response))
    (call $set (local.get $out) (i32.const 0) (local.get $resp) (i32.const 0) (i32.const 0)
      (i32.const 0))
    (call $write (local.get $stream) (i32.const 1024) (i32.const 24) (i32.const 48))
    (if (i32.load8_u (i32.const 16))
      (then (call $write (local.get $stream) (i32.load (i32.const 20)) (i32.load (i32.const 24))
        (i32.const 48))))
    (call $drop_stream (local.get $stream))
    (call $finish (local.get $body) (i32.const 0) (i32.const 0) (i32.const 48))))
