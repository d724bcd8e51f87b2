//! A software passkey for the native tests: what a browser and a platform
//! authenticator would hand the widget for WebAuthn options (`toJSON()` of the
//! `PublicKeyCredential`): a P-256 key, attestation `none`, user verified. One
//! credential, for the origin of the shop the test pretends to be.

use std::cell::{Cell, RefCell};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use latchkey_core::ports::{Entropy, SystemEntropy};

/// User present, user verified; with attested credential data at registration.
const FLAGS_GET: u8 = 0x01 | 0x04;
const FLAGS_CREATE: u8 = FLAGS_GET | 0x40;

pub struct SoftPasskey {
    origin: String,
    key: SigningKey,
    id: Vec<u8>,
    user_handle: RefCell<Option<String>>,
    counter: Cell<u32>,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    SystemEntropy.fill(&mut bytes).expect("entropy");
    bytes
}

impl SoftPasskey {
    pub fn new(origin: &str) -> Self {
        Self {
            origin: origin.to_string(),
            key: SigningKey::from_slice(&random::<32>()).expect("a P-256 key"),
            id: random::<16>().to_vec(),
            user_handle: RefCell::new(None),
            counter: Cell::new(0),
        }
    }

    fn client_data(&self, kind: &str, options: &Value) -> Vec<u8> {
        let challenge = options["challenge"].as_str().expect("a challenge");
        json!({ "type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": false })
            .to_string()
            .into_bytes()
    }

    fn authenticator_data(&self, rp_id: &str, flags: u8) -> Vec<u8> {
        let mut data = Sha256::digest(rp_id.as_bytes()).to_vec();
        data.push(flags);
        data.extend(self.counter.get().to_be_bytes());
        data
    }

    /// `navigator.credentials.create()` for creation options (JSON, no wrapper).
    pub fn create(&self, options: &Value) -> Value {
        let rp_id = options["rp"]["id"].as_str().expect("an RP ID");
        *self.user_handle.borrow_mut() = options["user"]["id"].as_str().map(str::to_string);
        let mut auth_data = self.authenticator_data(rp_id, FLAGS_CREATE);
        auth_data.extend([0u8; 16]); // AAGUID: none
        auth_data.extend((self.id.len() as u16).to_be_bytes());
        auth_data.extend(&self.id);
        auth_data.extend(self.cose_key());
        let mut attestation = Vec::new();
        cbor_map(&mut attestation, 3);
        cbor_text(&mut attestation, "fmt");
        cbor_text(&mut attestation, "none");
        cbor_text(&mut attestation, "attStmt");
        cbor_map(&mut attestation, 0);
        cbor_text(&mut attestation, "authData");
        cbor_bytes(&mut attestation, &auth_data);
        json!({
            "id": b64(&self.id),
            "rawId": b64(&self.id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64(&self.client_data("webauthn.create", options)),
                "attestationObject": b64(&attestation),
                "transports": ["internal"],
            },
        })
    }

    /// `navigator.credentials.get()` for request options (JSON, no wrapper).
    pub fn get(&self, options: &Value) -> Value {
        let rp_id = options["rpId"].as_str().expect("an RP ID");
        self.counter.set(self.counter.get() + 1);
        let auth_data = self.authenticator_data(rp_id, FLAGS_GET);
        let client_data = self.client_data("webauthn.get", options);
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let signature: Signature = self.key.sign(&signed);
        json!({
            "id": b64(&self.id),
            "rawId": b64(&self.id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64(&client_data),
                "authenticatorData": b64(&auth_data),
                "signature": b64(&der(&signature.to_bytes())),
                "userHandle": *self.user_handle.borrow(),
            },
        })
    }

    /// The public key as COSE: EC2, ES256, P-256, x, y.
    fn cose_key(&self) -> Vec<u8> {
        let point = self.key.verifying_key().to_sec1_point(false);
        let mut key = Vec::new();
        cbor_map(&mut key, 5);
        cbor_int(&mut key, 1);
        cbor_int(&mut key, 2);
        cbor_int(&mut key, 3);
        cbor_int(&mut key, -7);
        cbor_int(&mut key, -1);
        cbor_int(&mut key, 1);
        cbor_int(&mut key, -2);
        cbor_bytes(&mut key, point.x().expect("x"));
        cbor_int(&mut key, -3);
        cbor_bytes(&mut key, point.y().expect("y"));
        key
    }
}

fn cbor_head(out: &mut Vec<u8>, major: u8, value: u64) {
    let major = major << 5;
    match value {
        0..=23 => out.push(major | value as u8),
        24..=0xff => out.extend([major | 24, value as u8]),
        _ => {
            out.push(major | 25);
            out.extend((value as u16).to_be_bytes());
        }
    }
}

fn cbor_int(out: &mut Vec<u8>, value: i64) {
    if value >= 0 {
        cbor_head(out, 0, value as u64);
    } else {
        cbor_head(out, 1, (-1 - value) as u64);
    }
}

fn cbor_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    cbor_head(out, 2, bytes.len() as u64);
    out.extend(bytes);
}

fn cbor_text(out: &mut Vec<u8>, text: &str) {
    cbor_head(out, 3, text.len() as u64);
    out.extend(text.as_bytes());
}

fn cbor_map(out: &mut Vec<u8>, pairs: u64) {
    cbor_head(out, 5, pairs);
}

/// An ECDSA signature (`r || s`) as DER, the form WebAuthn uses.
fn der(raw: &[u8]) -> Vec<u8> {
    let integer = |half: &[u8]| {
        let trimmed: Vec<u8> = half.iter().copied().skip_while(|b| *b == 0).collect();
        let mut value = if trimmed.first().is_none_or(|b| b & 0x80 != 0) {
            vec![0]
        } else {
            Vec::new()
        };
        value.extend(trimmed);
        let mut encoded = vec![0x02, value.len() as u8];
        encoded.extend(value);
        encoded
    };
    let (r, s) = raw.split_at(32);
    let body = [integer(r), integer(s)].concat();
    let mut encoded = vec![0x30, body.len() as u8];
    encoded.extend(body);
    encoded
}
