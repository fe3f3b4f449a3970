//! Unit tests of the docs harness's readers (`tests/docs/`): the harness itself runs without
//! libtest's harness, where `#[test]` functions would not run.

#[path = "docs/lenient.rs"]
mod lenient;
#[path = "docs/markdown.rs"]
mod markdown;

mod lenient_tests {
    use super::lenient::*;

    #[test]
    fn repairs_comments_and_trailing_commas_outside_strings() {
        let text = "{\n  \"a\": \"http://x//y\", // a comment\n  \"b\": [1, 2,],\n}";
        let repaired = repair(text).unwrap();
        let value: serde_json::Value = serde_json::from_str(&repaired).unwrap();
        assert_eq!(value, serde_json::json!({"a": "http://x//y", "b": [1, 2]}));
        assert_eq!(repair("{\"a\": \"x,}\"}"), None);
    }
}

mod markdown_tests {
    use super::markdown::*;

    #[test]
    fn reads_annotated_json_and_http_blocks() {
        let page = r#"
<!-- {
  "blockType": "response",
  "truncated": "true",
  "@odata.type": "Collection(microsoft.graph.presence)",
  "isCollection": true,
} -->
``` http
HTTP/1.1 200 OK
Content-Type: application/json

{"value": []}
```
Text.
<!-- { "blockType": "example" } -->

Detached by this line.
```json
{"a": 1}
```
"#;
        let blocks = blocks(page);
        assert_eq!(blocks.len(), 2);
        let a = blocks[0].annotation.as_ref().unwrap();
        assert_eq!((a.block_type.as_deref(), a.truncated, a.is_collection), (Some("response"), true, true));
        assert_eq!(a.odata_type.as_deref(), Some("Collection(microsoft.graph.presence)"));
        assert!(blocks[0].is_response() && blocks[0].body == r#"{"value": []}"#);
        assert_eq!((blocks[0].line, blocks[0].block_type()), (8, Some("response")));
        assert_eq!((blocks[1].line, blocks[1].block_type()), (18, None));
        assert!(blocks[1].annotation.is_none());
        assert_eq!((blocks[1].language.as_str(), blocks[1].body.as_str()), ("json", r#"{"a": 1}"#));
    }

    #[test]
    fn reads_requests_with_and_without_a_blank_line() {
        let page = "```http\nPOST https://graph.microsoft.com/v1.0/communications/calls/1/mute HTTP/1.1\nContent-Type: application/json\n{\"clientContext\": \"c\"}\n```\n";
        let block = &blocks(page)[0];
        assert_eq!(block.request(), Some(("POST", "https://graph.microsoft.com/v1.0/communications/calls/1/mute")));
        assert_eq!(block.body, "{\"clientContext\": \"c\"}");
    }
}
