//! What the wasm tests of the widget share: a container in the test page, and a
//! pause that lets Yew render.

/// A new `<div>` in the test page's body.
pub fn container() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let element = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&element).unwrap();
    element
}

/// Lets Yew render (it schedules work on the microtask queue).
pub async fn settle() {
    wait(20).await;
}

/// Resolves after `ms` milliseconds of the page's timers.
pub async fn wait(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// The text of the buttons in `element`.
pub fn buttons(element: &web_sys::Element) -> Vec<String> {
    let found = element.query_selector_all("button").unwrap();
    (0..found.length())
        .filter_map(|i| found.item(i)?.text_content())
        .collect()
}
