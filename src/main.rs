use std::io::Write;

fn main() {
    let code = lamc::cli::run();
    // Everything lamc prints is written and flushed by now; flush again in case a writer
    // buffered, and leave without running exit handlers. The allocator's handler walks
    // every page of the heap to free it (about 5% of a 10,000-function build) only for
    // the operating system to reclaim the whole process right after.
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    exit_now(code);
}

#[cfg(unix)]
fn exit_now(code: i32) -> ! {
    // SAFETY: `_exit` ends the process at once; the output is flushed above and no other
    // thread is writing to a file lamc still has to finish (every command has returned).
    unsafe { libc::_exit(code) }
}

#[cfg(not(unix))]
fn exit_now(code: i32) -> ! {
    std::process::exit(code)
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
