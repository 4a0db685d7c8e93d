# wasi_thread_start(tid, arg): each thread needs its own C stack, so the
# entry sets __stack_pointer from the first word of `arg` (the top of the
# stack the spawner allocated) before any C code runs, then calls
# thread_main(tid, arg). C cannot set __stack_pointer itself.
  .globaltype __stack_pointer, i32
  .functype thread_main (i32, i32) -> ()
  .globl wasi_thread_start
  .export_name wasi_thread_start, wasi_thread_start
  .type wasi_thread_start,@function
wasi_thread_start:
  .functype wasi_thread_start (i32, i32) -> ()
  local.get 1
  i32.load 0
  global.set __stack_pointer
  local.get 0
  local.get 1
  call thread_main
  end_function
