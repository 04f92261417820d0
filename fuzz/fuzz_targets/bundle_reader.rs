#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| bridger::sync::fuzz::bundle_reader(data));
