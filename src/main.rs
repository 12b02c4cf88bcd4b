fn main() {
    std::process::exit(lamc::cli::run());
}
