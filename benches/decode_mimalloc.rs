//! The benchmarks of `decode.rs`, with mimalloc as the global allocator instead of the
//! system's: `cargo bench --bench decode_mimalloc`, or `ALLOCATOR=mimalloc
//! scripts/bench-ratios.py` for the ratios.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "decode.rs"]
mod decode;

fn main() {
    decode::main();
}
