;; A component (world gannet:test/http-get): `get(authority, path)` sends
;; `GET http://AUTHORITY/PATH` through wasi:http/outgoing-handler, writes the
;; response body to stdout and returns the status (negative: the step that
;; failed).
(module
  (import "wasi:cli/stdout@0.2.3" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:io/streams@0.2.3" "[method]output-stream.blocking-write-and-flush"
    (func $write (param i32 i32 i32 i32)))
  (import "wasi:io/streams@0.2.3" "[method]input-stream.blocking-read"
    (func $read (param i32 i64 i32)))
  (import "wasi:io/poll@0.2.3" "[method]pollable.block" (func $block (param i32)))
  (import "wasi:io/poll@0.2.3" "[resource-drop]pollable" (func $drop_pollable (param i32)))
  (import "wasi:http/types@0.2.3" "[constructor]fields" (func $fields (result i32)))
  (import "wasi:http/types@0.2.3" "[constructor]outgoing-request"
    (func $request (param i32) (result i32)))
  (import "wasi:http/types@0.2.3" "[method]outgoing-request.set-scheme"
    (func $set_scheme (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi:http/types@0.2.3" "[method]outgoing-request.set-authority"
    (func $set_authority (param i32 i32 i32 i32) (result i32)))
  (import "wasi:http/types@0.2.3" "[method]outgoing-request.set-path-with-query"
    (func $set_path (param i32 i32 i32 i32) (result i32)))
  (import "wasi:http/types@0.2.3" "[method]future-incoming-response.subscribe"
    (func $subscribe (param i32) (result i32)))
  (import "wasi:http/types@0.2.3" "[method]future-incoming-response.get"
    (func $future_get (param i32 i32)))
  (import "wasi:http/types@0.2.3" "[method]incoming-response.status"
    (func $status (param i32) (result i32)))
  (import "wasi:http/types@0.2.3" "[method]incoming-response.consume"
    (func $consume (param i32 i32)))
  (import "wasi:http/types@0.2.3" "[method]incoming-body.stream"
    (func $body_stream (param i32 i32)))
  (import "wasi:http/outgoing-handler@0.2.3" "handle" (func $handle (param i32 i32 i32 i32)))
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
  (func (export "get") (param $auth i32) (param $alen i32) (param $path i32) (param $plen i32)
    (result i32)
    (local $req i32) (local $future i32) (local $p i32) (local $response i32) (local $status i32)
    (local $in i32) (local $stdout i32)
    (local.set $req (call $request (call $fields)))
    (drop (call $set_scheme (local.get $req) (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0)))
    (drop (call $set_authority (local.get $req) (i32.const 1) (local.get $auth) (local.get $alen)))
    (drop (call $set_path (local.get $req) (i32.const 1) (local.get $path) (local.get $plen)))
    ;; handle(request, none) -> result<future-incoming-response, error-code>
    (call $handle (local.get $req) (i32.const 0) (i32.const 0) (i32.const 16))
    (if (i32.load8_u (i32.const 16))
      (then (return (i32.sub (i32.const -100) (i32.load8_u (i32.const 20))))))
    (local.set $future (i32.load (i32.const 20)))
    ;; get() -> option<result<result<incoming-response, error-code>>>, until some
    (block $ready
      (loop $again
        (call $future_get (local.get $future) (i32.const 16))
        (br_if $ready (i32.load8_u (i32.const 16)))
        (local.set $p (call $subscribe (local.get $future)))
        (call $block (local.get $p))
        (call $drop_pollable (local.get $p))
        (br $again)))
    (if (i32.load8_u (i32.const 20)) (then (return (i32.const -2))))
    (if (i32.load8_u (i32.const 24))
      (then (return (i32.sub (i32.const -200) (i32.load8_u (i32.const 28))))))
    (local.set $response (i32.load (i32.const 28)))
    (local.set $status (call $status (local.get $response)))
    (call $consume (local.get $response) (i32.const 16))
    (if (i32.load8_u (i32.const 16)) (then (return (i32.const -3))))
    (call $body_stream (i32.load (i32.const 20)) (i32.const 16))
    (if (i32.load8_u (i32.const 16)) (then (return (i32.const -4))))
    (local.set $in (i32.load (i32.const 20)))
    (local.set $stdout (call $get_stdout))
    (block $end
      (loop $more
        (call $read (local.get $in) (i64.const 4096) (i32.const 16))
        (br_if $end (i32.load8_u (i32.const 16)))
        (call $write (local.get $stdout) (i32.load (i32.const 20)) (i32.load (i32.const 24))
          (i32.const 32))
        (br $more)))
    (local.get $status)))
