;; A component (world gannet:test/udp-echo): `echo(port, message)` binds a UDP
;; socket to 127.0.0.1, sends `message` to 127.0.0.1:port, waits for one
;; datagram back, writes it to stdout and returns its length (negative: the
;; step that failed).
(module
  (import "wasi:cli/stdout@0.2.3" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:io/streams@0.2.3" "[method]output-stream.blocking-write-and-flush"
    (func $write (param i32 i32 i32 i32)))
  (import "wasi:io/poll@0.2.3" "[method]pollable.block" (func $block (param i32)))
  (import "wasi:io/poll@0.2.3" "[resource-drop]pollable" (func $drop_pollable (param i32)))
  (import "wasi:sockets/instance-network@0.2.3" "instance-network" (func $network (result i32)))
  (import "wasi:sockets/udp-create-socket@0.2.3" "create-udp-socket"
    (func $create (param i32 i32)))
  (import "wasi:sockets/udp@0.2.3" "[method]udp-socket.start-bind"
    (func $start_bind (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "wasi:sockets/udp@0.2.3" "[method]udp-socket.finish-bind"
    (func $finish_bind (param i32 i32)))
  (import "wasi:sockets/udp@0.2.3" "[method]udp-socket.stream"
    (func $stream (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "wasi:sockets/udp@0.2.3" "[method]udp-socket.subscribe"
    (func $subscribe (param i32) (result i32)))
  (import "wasi:sockets/udp@0.2.3" "[method]incoming-datagram-stream.receive"
    (func $receive (param i32 i64 i32)))
  (import "wasi:sockets/udp@0.2.3" "[method]incoming-datagram-stream.subscribe"
    (func $subscribe_in (param i32) (result i32)))
  (import "wasi:sockets/udp@0.2.3" "[method]outgoing-datagram-stream.check-send"
    (func $check_send (param i32 i32)))
  (import "wasi:sockets/udp@0.2.3" "[method]outgoing-datagram-stream.send"
    (func $send (param i32 i32 i32 i32)))
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
  (func $wait (param $pollable i32)
    (call $block (local.get $pollable))
    (call $drop_pollable (local.get $pollable)))
  (func (export "echo") (param $port i32) (param $msg i32) (param $len i32) (result i32)
    (local $net i32) (local $sock i32) (local $in i32) (local $out i32) (local $d i32)
    (local.set $net (call $network))
    (call $create (i32.const 0) (i32.const 16))
    (if (i32.load8_u (i32.const 16)) (then (return (i32.const -1))))
    (local.set $sock (i32.load (i32.const 20)))
    ;; start-bind(self, network, ipv4 { 0, 127.0.0.1 }) -> result<_, error-code>
    (call $start_bind (local.get $sock) (local.get $net) (i32.const 0) (i32.const 0)
      (i32.const 127) (i32.const 0) (i32.const 0) (i32.const 1)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 16))
    (if (i32.load8_u (i32.const 16))
      (then (return (i32.sub (i32.const -100) (i32.load8_u (i32.const 17))))))
    (block $bound
      (loop $again
        (call $finish_bind (local.get $sock) (i32.const 16))
        (br_if $bound (i32.eqz (i32.load8_u (i32.const 16))))
        (if (i32.ne (i32.load8_u (i32.const 17)) (i32.const 8))
          (then (return (i32.sub (i32.const -200) (i32.load8_u (i32.const 17))))))
        (call $wait (call $subscribe (local.get $sock)))
        (br $again)))
    ;; stream(some(ipv4 { port, 127.0.0.1 }))
    (call $stream (local.get $sock) (i32.const 1) (i32.const 0) (local.get $port)
      (i32.const 127) (i32.const 0) (i32.const 0) (i32.const 1)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 16))
    (if (i32.load8_u (i32.const 16))
      (then (return (i32.sub (i32.const -300) (i32.load8_u (i32.const 20))))))
    (local.set $in (i32.load (i32.const 20)))
    (local.set $out (i32.load (i32.const 24)))
    ;; check-send -> result<u64, error-code>: wait until it allows one datagram
    (call $check_send (local.get $out) (i32.const 16))
    (if (i32.load8_u (i32.const 16)) (then (return (i32.const -4))))
    (if (i64.eqz (i64.load (i32.const 24))) (then (return (i32.const -5))))
    ;; send([{ data: message, remote-address: none }])
    (i32.store (i32.const 256) (local.get $msg))
    (i32.store (i32.const 260) (local.get $len))
    (i32.store8 (i32.const 264) (i32.const 0))
    (call $send (local.get $out) (i32.const 256) (i32.const 1) (i32.const 16))
    (if (i32.load8_u (i32.const 16)) (then (return (i32.const -6))))
    (if (i64.ne (i64.load (i32.const 24)) (i64.const 1)) (then (return (i32.const -7))))
    ;; receive(1) until a datagram comes
    (block $got
      (loop $again
        (call $receive (local.get $in) (i64.const 1) (i32.const 16))
        (if (i32.load8_u (i32.const 16)) (then (return (i32.const -8))))
        (br_if $got (i32.load (i32.const 24)))
        (call $wait (call $subscribe_in (local.get $in)))
        (br $again)))
    (local.set $d (i32.load (i32.const 20)))
    (call $write (call $get_stdout) (i32.load (local.get $d)) (i32.load offset=4 (local.get $d))
      (i32.const 32))
    (i32.load offset=4 (local.get $d))))
