//! A QR code drawn as one SVG path (no canvas, no inline styles, no innerHTML).

use qrcodegen::{QrCode, QrCodeEcc};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QrProps {
    pub text: String,
    /// What the code is, for screen readers.
    pub label: &'static str,
}

/// The quiet zone the QR standard asks for around the symbol, in modules.
const BORDER: i32 = 4;

#[component]
pub fn Qr(props: &QrProps) -> Html {
    let Ok(code) = QrCode::encode_text(&props.text, QrCodeEcc::Medium) else {
        return Html::default();
    };
    let size = code.size();
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + BORDER, y + BORDER));
            }
        }
    }
    let extent = size + 2 * BORDER;
    html! {
        <svg class="lk-qr" part="qr" role="img" aria-label={props.label}
            viewBox={format!("0 0 {extent} {extent}")} shape-rendering="crispEdges">
            <rect class="lk-qr-background" width="100%" height="100%" />
            <path class="lk-qr-modules" d={path} />
        </svg>
    }
}
