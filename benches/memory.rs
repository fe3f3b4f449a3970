//! What the tracker holds in memory: bytes (and allocated blocks) per tracked participant and
//! per tracked call, counted by a global allocator that adds up what is allocated and not yet
//! freed. `cargo bench --bench memory --features tracker,decrypt,jwt,requests` prints the table that
//! BENCHMARKS.md gives.

#[path = "inputs/mod.rs"]
#[allow(dead_code)]
mod inputs;

use msgraph_comms::v1_0::Participant;
use msgraph_comms::v1_0::tracker::Tracker;
use serde_json::{Value, json};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

/// The system allocator, counting the bytes and blocks it holds.
struct Counting;

static BYTES: AtomicIsize = AtomicIsize::new(0);
static BLOCKS: AtomicIsize = AtomicIsize::new(0);

// SAFETY: each method forwards to `System` with the same arguments; the counters only add.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        BLOCKS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's layout, as `GlobalAlloc::alloc` requires.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        BLOCKS.fetch_sub(1, Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with `layout`, as the caller guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        BYTES.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        // SAFETY: as for `dealloc` and `alloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn held() -> (isize, isize) {
    (BYTES.load(Ordering::Relaxed), BLOCKS.load(Ordering::Relaxed))
}

/// What a tracker holds after taking in `bodies`, per one of `count` things: bytes and blocks.
/// The bodies' text is made before counting starts; what their decoding allocates and the
/// tracker does not keep is freed by the time the count ends.
fn per_item(bodies: Vec<String>, count: usize) -> (f64, f64) {
    let (bytes, blocks) = held();
    let mut tracker = Tracker::default();
    for body in &bodies {
        drop(tracker.process(serde_json::from_str(body).expect("decodes")));
    }
    let (now_bytes, now_blocks) = held();
    drop(tracker);
    ((now_bytes - bytes) as f64 / count as f64, (now_blocks - blocks) as f64 / count as f64)
}

fn main() {
    println!(
        "size_of: Participant {} B, Call {} B (each tracked participant is boxed; the call is inline)",
        size_of::<Participant>(),
        size_of::<msgraph_comms::v1_0::Call>()
    );
    println!("{:<48} {:>8} {:>14} {:>14}", "what is tracked", "count", "bytes each", "blocks each");
    for people in [2_000, 10_000] {
        let [body, _] = inputs::rosters(people);
        let (bytes, blocks) = per_item(vec![body], people);
        println!("{:<48} {people:>8} {bytes:>14.0} {blocks:>14.1}", "participants of one roster (ids)");
    }
    for people in [2_000] {
        // Guests and phone participants come with `"id": null`: they are known by their identity.
        let mut body: Value = serde_json::from_str(&inputs::rosters(people)[0]).expect("JSON");
        for item in body["value"][0]["resourceData"].as_array_mut().expect("a roster") {
            item["id"] = Value::Null;
        }
        let (bytes, blocks) = per_item(vec![body.to_string()], people);
        println!("{:<48} {people:>8} {bytes:>14.0} {blocks:>14.1}", "participants of one roster (\"id\": null)");
    }
    for calls in [1_000, 8_000] {
        let items: Vec<Value> = (0..calls)
            .map(|i| {
                json!({"changeType": "created", "resourceUrl": format!("/communications/calls/{i:08x}-894c-409a-b240-bd8beae78896"),
                       "resourceData": {"@odata.type": "#microsoft.graph.call", "id": format!("{i:08x}-894c-409a-b240-bd8beae78896"),
                       "state": "established", "direction": "incoming", "callbackUri": "https://bot.contoso.com/api/calls",
                       "requestedModalities": ["audio"], "mediaConfig": {"@odata.type": "#microsoft.graph.serviceHostedMediaConfig"},
                       "source": {"identity": {"user": {"id": "550fae72-d251-43ec-868c-373732c2704f", "displayName": "Heidi"}}},
                       "targets": [{"identity": {"application": {"id": "ea0e9cb8-a2a9-4ad0-8dc2-cf7a1c1ef5b1"}}}],
                       "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47"}})
            })
            .collect();
        let (bytes, blocks) = per_item(vec![json!({ "value": items }).to_string()], calls);
        println!("{:<48} {calls:>8} {bytes:>14.0} {blocks:>14.1}", "calls (as a created call's notification)");
    }
}
