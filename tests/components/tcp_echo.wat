;; A component (world gannet:test/tcp-echo): `echo(port, message)` connects to
;; 127.0.0.1:port over TCP, sends `message`, reads as many bytes back, writes
;; them to stdout and returns how many it read (negative: the step that failed).
(module
  (import "wasi:cli/stdout@0.2.3" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:io/streams@0.2.3" "[method]output-stream.blocking-write-and-flush"
    (func $write (param i32 i32 i32 i32)))
  (import "wasi:io/streams@0.2.3" "[method]input-stream.blocking-read"
    (func $read (param i32 i64 i32)))
  (import "wasi:io/poll@0.2.3" "[method]pollable.block" (func $block (param i32)))
  (import "wasi:io/poll@0.2.3" "[resource-drop]pollable" (func $drop_pollable (param i32)))
  (import "wasi:sockets/instance-network@0.2.3" "instance-network" (func $network (result i32)))
  (import "wasi:sockets/tcp-create-socket@0.2.3" "create-tcp-socket"
    (func $create (param i32 i32)))
  (import "wasi:sockets/tcp@0.2.3" "[method]tcp-socket.start-connect"
    (func $start_connect (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "wasi:sockets/tcp@0.2.3" "[method]tcp-socket.finish-connect"
    (func $finish_connect (param i32 i32)))
  (import "wasi:sockets/tcp@0.2.3" "[method]tcp-socket.subscribe"
    (func $subscribe (param i32) (result i32)))
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
  (func (export "echo") (param $port i32) (param $msg i32) (param $len i32) (result i32)
    (local $net i32) (local $sock i32) (local $p i32) (local $in i32) (local $out i32)
    (local $n i32) (local $stdout i32)
    (local.set $net (call $network))
    ;; create-tcp-socket(ipv4) -> result<tcp-socket, error-code> at 16
    (call $create (i32.const 0) (i32.const 16))
    (if (i32.load8_u (i32.const 16)) (then (return (i32.const -1))))
    (local.set $sock (i32.load (i32.const 20)))
    ;; start-connect(self, network, ipv4 { port, 127.0.0.1 }) -> result<_, error-code> at 16
    (call $start_connect (local.get $sock) (local.get $net) (i32.const 0) (local.get $port)
      (i32.const 127) (i32.const 0) (i32.const 0) (i32.const 1)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 16))
    (if (i32.load8_u (i32.const 16))
      (then (return (i32.sub (i32.const -100) (i32.load8_u (i32.const 17))))))
    ;; finish-connect until it is no longer would-block (8)
    (block $connected
      (loop $again
        (call $finish_connect (local.get $sock) (i32.const 16))
        (br_if $connected (i32.eqz (i32.load8_u (i32.const 16))))
        (if (i32.ne (i32.load8_u (i32.const 20)) (i32.const 8))
          (then (return (i32.sub (i32.const -200) (i32.load8_u (i32.const 20))))))
        (local.set $p (call $subscribe (local.get $sock)))
        (call $block (local.get $p))
        (call $drop_pollable (local.get $p))
        (br $again)))
    (local.set $in (i32.load (i32.const 20)))
    (local.set $out (i32.load (i32.const 24)))
    (call $write (local.get $out) (local.get $msg) (local.get $len) (i32.const 16))
    (if (i32.load8_u (i32.const 16)) (then (return (i32.const -3))))
    (local.set $stdout (call $get_stdout))
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $n) (local.get $len)))
        ;; blocking-read(in, len - n) -> result<list<u8>, stream-error> at 16
        (call $read (local.get $in) (i64.extend_i32_u (i32.sub (local.get $len) (local.get $n)))
          (i32.const 16))
        (if (i32.load8_u (i32.const 16)) (then (return (i32.const -4))))
        (local.set $n (i32.add (local.get $n) (i32.load (i32.const 24))))
        (call $write (local.get $stdout) (i32.load (i32.const 20)) (i32.load (i32.const 24))
          (i32.const 32))
        (br $more)))
    (local.get $n)))
