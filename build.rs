// The curated glossary is embedded in the binary (see src/bundled.rs); rebuild when it changes.
fn main() {
    println!("cargo:rerun-if-changed=glossary");
}
