//! Parsing the JWS compact serialization, with size limits, before anything is trusted.

use serde::Deserialize;

use super::b64url_decode;
use crate::Error;

/// Larger tokens are refused before any decoding.
pub const MAX_JWS_BYTES: usize = 32 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct JwsHeader {
    pub alg: String,
    pub kid: Option<String>,
    pub typ: Option<String>,
    /// Extensions the signer says must be understood; latchkey understands none.
    pub crit: Option<Vec<String>>,
}

/// A parsed, not yet verified JWS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jws {
    pub header: JwsHeader,
    pub payload: Vec<u8>,
    /// `BASE64URL(header) "." BASE64URL(payload)`: the bytes the signature covers.
    pub signing_input: String,
    pub signature: Vec<u8>,
}

fn malformed(detail: &str) -> Error {
    Error::IdTokenMalformed(detail.to_string())
}

pub fn parse_compact(token: &str) -> Result<Jws, Error> {
    if token.len() > MAX_JWS_BYTES {
        return Err(malformed(&format!("larger than {MAX_JWS_BYTES} bytes")));
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed("not three dot-separated parts"));
    };
    let header_bytes = b64url_decode(header).ok_or_else(|| malformed("header is not base64url"))?;
    let header_json: JwsHeader =
        serde_json::from_slice(&header_bytes).map_err(|e| malformed(&format!("header: {e}")))?;
    if header_json.crit.is_some() {
        return Err(malformed("header has crit extensions"));
    }
    let payload_bytes =
        b64url_decode(payload).ok_or_else(|| malformed("payload is not base64url"))?;
    let signature_bytes =
        b64url_decode(signature).ok_or_else(|| malformed("signature is not base64url"))?;
    Ok(Jws {
        header: header_json,
        payload: payload_bytes,
        signing_input: format!("{header}.{payload}"),
        signature: signature_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::rfc7515::A3_ES256 as RFC7515_A3;

    #[test]
    fn parses_rfc7515_a3() {
        let jws = parse_compact(RFC7515_A3).unwrap();
        assert_eq!(jws.header.alg, "ES256");
        assert_eq!(jws.signature.len(), 64);
        assert!(std::str::from_utf8(&jws.payload)
            .unwrap()
            .contains("\"iss\":\"joe\""));
        assert_eq!(jws.signing_input, RFC7515_A3.rsplit_once('.').unwrap().0);
    }

    #[test]
    fn rejects_malformed_input() {
        let cases = [
            "",
            "a.b",
            "a.b.c.d",
            "!!.e30.c2ln",
            "e30.e30.c2ln",                                      // header without alg
            "eyJhbGciOiJFUzI1NiJ9.***.c2ln",                     // payload not base64url
            "eyJhbGciOiJFUzI1NiJ9.e30.c2ln=",                    // padding is not base64url
            "eyJhbGciOiJFUzI1NiIsImNyaXQiOlsiYjY0Il19.e30.c2ln", // crit
        ];
        for token in cases {
            assert_eq!(
                parse_compact(token).unwrap_err().code(),
                "id_token_malformed",
                "{token:?}"
            );
        }
        let huge = format!("{}.e30.c2ln", "e".repeat(MAX_JWS_BYTES));
        assert_eq!(
            parse_compact(&huge).unwrap_err().code(),
            "id_token_malformed"
        );
    }
}
