#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| msgraph_comms_fuzz::answers(data));
