fn main() {
    std::process::exit(lamc::cli::run());
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
