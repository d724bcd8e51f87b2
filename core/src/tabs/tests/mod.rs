//! The tab session with several tabs of one fake origin: who holds the refresh
//! token, what crosses between tabs, and what a forged or reordered message does.

mod origin;

use std::rc::Rc;

use serde_json::json;

use super::messages::{SharedRecord, TabMessage, MAX_MESSAGE_BYTES, MAX_VERSION};
use super::ports::TabLink;
use super::{ProviderLogout, SessionEvent, HELLO_WAIT_MS, REPLY_WAIT_MS};
use crate::client::REFRESH_MARGIN;
use crate::testing::fake::*;
use crate::token::TokenTarget;
use crate::Error;
use origin::*;

/// Starts signing `tab` in through a redirect (as sub `sub`): the callback's task is
/// spawned, not yet run.
fn begin_sign_in(origin: &Origin, tab: &Tab, sub: &str) {
    let client = tab.client();
    let authorize = sign_in(client);
    let nonce = param(&authorize, "nonce");
    let body = json!({"access_token": format!("at-{sub}-0"), "token_type": "Bearer", "expires_in": 300,
                      "refresh_token": format!("rt-{sub}-0"), "id_token": signed(claims(Some(&nonce), sub), "k1", 7)});
    client.platform().answer("POST /token", 200, body);
    let tab2 = tab.clone();
    let callback = callback_for(&authorize);
    origin.spawn(async move {
        tab2.complete_redirect(&callback).await.unwrap();
    });
}

/// Signs `tab` in through a redirect (as sub `sub`); its provider then answers
/// refreshes with numbered tokens.
fn sign_in_as(origin: &Origin, tab: &Tab, sub: &str) {
    begin_sign_in(origin, tab, sub);
    origin.settle();
    answer_refresh(tab, sub, 1);
}

/// A new tab (`persist`: opted in to the origin's store), signed in as "7".
fn signed_in_tab(origin: &Rc<Origin>, persist: bool) -> (Tab, Events) {
    let (tab, events) = origin.open_started(persist);
    sign_in_as(origin, &tab, "7");
    (tab, events)
}

/// The provider's answer to the next refresh of `tab`: rotation `n`.
fn answer_refresh(tab: &Tab, sub: &str, n: u32) {
    let body = json!({"access_token": format!("at-{sub}-{n}"), "token_type": "Bearer", "expires_in": 300,
                      "refresh_token": format!("rt-{sub}-{n}"), "id_token": signed(claims(None, sub), "k1", 7)});
    tab.client().platform().answer("POST /token", 200, body);
}

fn refreshes(tab: &Tab) -> usize {
    tab.client()
        .platform()
        .sent
        .borrow()
        .iter()
        .filter(|r| route(r) == "POST /token")
        .filter(|r| {
            r.body
                .as_deref()
                .unwrap_or_default()
                .contains("refresh_token")
        })
        .count()
}

fn sub(tab: &Tab) -> Option<String> {
    tab.client().user().map(|user| user.sub)
}

/// Moves every tab's clock to where access tokens from the login are stale.
fn make_stale(tabs: &[&Tab]) {
    for tab in tabs {
        tab.client()
            .platform()
            .elapsed
            .set(300 - REFRESH_MARGIN + 1);
    }
}

/// Starts `work` on `tab`'s access token; the slot holds its outcome.
fn ask_token(
    origin: &Origin,
    tab: &Tab,
) -> std::rc::Rc<std::cell::RefCell<Option<Result<String, Error>>>> {
    let outcome = std::rc::Rc::new(std::cell::RefCell::new(None));
    let (tab, seen) = (tab.clone(), outcome.clone());
    origin.spawn(async move {
        let token = tab.access_token(TokenTarget::default()).await;
        seen.replace(Some(token));
    });
    outcome
}

fn record(origin: &Origin) -> SharedRecord {
    SharedRecord::parse(origin.record.borrow().as_deref().unwrap()).unwrap()
}

fn errors(events: &std::cell::RefCell<Vec<SessionEvent>>) -> Vec<&'static str> {
    events
        .borrow()
        .iter()
        .filter_map(|event| match event {
            SessionEvent::Error(error) => Some(error.code()),
            _ => None,
        })
        .collect()
}

fn count(events: &std::cell::RefCell<Vec<SessionEvent>>, wanted: &SessionEvent) -> usize {
    events.borrow().iter().filter(|e| *e == wanted).count()
}

#[test]
fn a_new_tab_gets_the_session_and_never_the_refresh_token() {
    let origin = Origin::new(true);
    let (a, _) = signed_in_tab(&origin, false);
    assert!(a.is_holder());
    let (b, b_events) = origin.open_started(false);
    assert_eq!(sub(&b).as_deref(), Some("7"));
    assert!(!b.client().has_refresh_token());
    assert!(matches!(b_events.borrow()[0], SessionEvent::Login(_)));

    // B's first access token comes from A, on request.
    let token = ask_token(&origin, &b);
    origin.settle();
    assert_eq!(token.borrow().clone(), Some(Ok("at-7-0".to_string())));
    let posted = origin.everything_posted();
    assert!(
        !posted.contains("rt-7"),
        "no refresh token on the channel: {posted}"
    );
    let carrying_access_tokens: Vec<_> = origin
        .log
        .borrow()
        .iter()
        .filter(|p| p.text.contains("at-7-0"))
        .map(|p| p.message())
        .collect();
    assert!(
        carrying_access_tokens
            .iter()
            .all(|m| matches!(m, TabMessage::Token { to, .. } if to == b.link().id())),
        "access tokens go only in answers: {carrying_access_tokens:?}"
    );
    assert_eq!(refreshes(&a) + refreshes(&b), 0);
}

#[test]
fn a_script_that_says_hello_gets_the_id_token_only() {
    let origin = Origin::new(true);
    let (a, _) = signed_in_tab(&origin, false);
    origin.take_bus();
    origin.forge(r#"{"hello":{"from":"foreign-page"}}"#);
    let answers: Vec<_> = origin.log.borrow().iter().map(|p| p.message()).collect();
    let answer = answers
        .iter()
        .rev()
        .find(|m| matches!(m, TabMessage::Session { to: Some(to), .. } if to == "foreign-page"))
        .expect("answered");
    let TabMessage::Session { id_token, .. } = answer else {
        unreachable!()
    };
    assert_eq!(Some(id_token.clone()), a.client().id_token());
    assert!(!origin.everything_posted().contains("rt-7"));
    assert!(!origin.everything_posted().contains("at-7"));
}

#[test]
fn five_tabs_refreshing_at_once_make_one_refresh_grant() {
    let origin = Origin::new(true);
    let (a, a_events) = signed_in_tab(&origin, false);
    let others: Vec<_> = (0..4).map(|_| origin.open_started(false)).collect();
    let mut tabs = vec![&a];
    tabs.extend(others.iter().map(|(tab, _)| tab));
    make_stale(&tabs);

    let outcomes: Vec<_> = tabs.iter().map(|tab| ask_token(&origin, tab)).collect();
    origin.settle();
    let tokens: Vec<_> = outcomes
        .iter()
        .map(|o| o.borrow().clone().unwrap().unwrap())
        .collect();
    assert!(tokens.iter().all(|t| t == "at-7-1"), "{tokens:?}");
    assert_eq!(refreshes(&a), 1);
    assert!(others.iter().all(|(tab, _)| refreshes(tab) == 0));
    assert_eq!(count(&a_events, &SessionEvent::TokenRefreshed), 1);
    for (_, events) in &others {
        assert_eq!(
            count(events, &SessionEvent::TokenRefreshed),
            1,
            "heard of it"
        );
    }
    // Each tab keeps the new token until it goes stale.
    let again: Vec<_> = tabs.iter().map(|tab| ask_token(&origin, tab)).collect();
    origin.settle();
    assert!(again
        .iter()
        .all(|o| o.borrow().clone() == Some(Ok("at-7-1".into()))));
    assert_eq!(refreshes(&a), 1);
}

#[test]
fn a_forged_session_is_not_taken_up() {
    let origin = Origin::new(true);
    let (a, a_events) = signed_in_tab(&origin, false);
    let (b, b_events) = origin.open_started(false);
    let version = record(&origin).version;
    // Mallory signed in at the provider herself: her ID token verifies.
    let mallory = signed(claims(None, "mallory"), "k1", 7);
    let session = |version: u64, id_token: &str| {
        json!({"session": {"to": null, "version": version, "id_token": id_token, "jkt": null}})
            .to_string()
    };
    for forged in [
        session(version + 1, &mallory),
        session(version + 1000, &mallory),
        session(version, &mallory),
        session(MAX_VERSION, &mallory),
        // Out of range: refused before anything else.
        session(u64::MAX, &mallory),
        session(MAX_VERSION + 1, &mallory),
        session(0, &mallory),
    ] {
        origin.forge(&forged);
    }
    for tab in [&a, &b] {
        assert_eq!(sub(tab).as_deref(), Some("7"));
    }
    assert!(a.is_holder());

    // Even with the record rewritten to name her, her session needs a valid
    // signature: one made with another key is refused and reported.
    let forged_record = SharedRecord {
        version: version + 1,
        sub: Some("mallory".into()),
        tokens: None,
    };
    origin.record.replace(Some(forged_record.encode()));
    origin.forge(&session(
        version + 1,
        &signed(claims(None, "mallory"), "k1", 9),
    ));
    assert_eq!(sub(&b).as_deref(), Some("7"));
    assert_eq!(errors(&b_events), ["shared_session_invalid"]);
    assert_eq!(errors(&a_events), ["shared_session_invalid"]);
}

#[test]
fn a_login_in_another_tab_replaces_the_session_even_for_another_user() {
    let origin = Origin::new(true);
    let (a, _) = signed_in_tab(&origin, false);
    let (b, _) = origin.open_started(false);
    let (c, _) = origin.open_started(false);
    sign_in_as(&origin, &c, "8");
    assert!(c.is_holder() && !a.is_holder());
    assert!(
        !a.client().has_refresh_token(),
        "the old refresh token is dropped"
    );
    for tab in [&a, &b, &c] {
        assert_eq!(sub(tab).as_deref(), Some("8"));
    }
    assert_eq!(record(&origin).version, 2);
    assert_eq!(record(&origin).sub.as_deref(), Some("8"));
}

#[test]
fn messages_out_of_order_never_bring_back_an_old_session() {
    let origin = Origin::new(true);
    let (a, _) = origin.open_started(false);
    let (b, b_events) = origin.open_started(false);
    sign_in_as(&origin, &a, "7");
    let first = origin
        .log
        .borrow()
        .iter()
        .find(|p| matches!(p.message(), TabMessage::Session { .. }))
        .cloned()
        .unwrap();
    let (c, _) = origin.open_started(false);
    sign_in_as(&origin, &c, "8");
    assert_eq!(sub(&b).as_deref(), Some("8"));
    // The first login's announcement, delivered again late.
    origin.deliver(&first);
    origin.settle();
    assert_eq!(sub(&b).as_deref(), Some("8"));

    // A logout whose `ended` arrives before the session announcement it follows.
    let (d, _) = origin.open_started(false);
    origin.take_bus();
    sign_in_as_held(&origin, &d, "9");
    let announcement = origin.take_bus();
    origin.spawn({
        let d = d.clone();
        async move {
            d.logout(ProviderLogout::Keep).await;
        }
    });
    origin.run();
    let ended = origin.take_bus();
    for posted in ended.iter().chain(&announcement) {
        origin.deliver(posted);
        origin.settle();
    }
    assert_eq!(sub(&b), None, "the ended session is not taken up");
    assert_eq!(count(&b_events, &SessionEvent::Logout), 1);
    assert!(record(&origin).sub.is_none());
}

/// Like [`sign_in_as`], but the messages stay on the bus.
fn sign_in_as_held(origin: &Origin, tab: &Tab, sub: &str) {
    begin_sign_in(origin, tab, sub);
    origin.run();
}

#[test]
fn a_token_handed_out_before_a_rotation_is_asked_for_again() {
    let origin = Origin::new(true);
    let (a, _) = signed_in_tab(&origin, false);
    let (b, _) = origin.open_started(false);
    make_stale(&[&b]);
    let token = ask_token(&origin, &b);
    origin.run();
    // A answers B's request with its current token...
    let request = origin.take_bus();
    for posted in &request {
        origin.deliver(posted);
    }
    origin.run();
    let answer = origin.take_bus();
    // ...then refreshes for another reason (an API refused the token) before B
    // hears the answer: B hears of the rotation first.
    answer_refresh(&a, "7", 1);
    let renewed = {
        let a = a.clone();
        let seen = std::rc::Rc::new(std::cell::RefCell::new(None));
        let keep = seen.clone();
        origin.spawn(async move {
            keep.replace(Some(
                a.renew_access_token(TokenTarget::default(), "at-7-0").await,
            ));
        });
        seen
    };
    origin.run();
    assert_eq!(renewed.borrow().clone(), Some(Ok("at-7-1".into())));
    let rotated = origin.take_bus();
    for posted in rotated.iter().chain(&answer) {
        origin.deliver(posted);
        origin.run();
    }
    origin.settle();
    assert_eq!(token.borrow().clone(), Some(Ok("at-7-1".into())));
    assert_eq!(refreshes(&a), 1);
}

#[test]
fn a_holder_that_never_answers_times_out_on_the_clock() {
    let origin = Origin::new(true);
    let (_holder, _) = signed_in_tab(&origin, false);
    let (b, _) = origin.open_started(false);
    make_stale(&[&b]);
    let token = ask_token(&origin, &b);
    origin.run();
    origin.take_bus(); // the request is lost (A is frozen)
    origin.advance(u64::from(REPLY_WAIT_MS) - 1);
    assert!(token.borrow().is_none(), "still waiting");
    origin.advance(1);
    assert_eq!(token.borrow().clone(), Some(Err(Error::TabsOutOfStep)));

    // A new tab whose hello goes unanswered starts without a session in time.
    let (c, _) = origin.open(false);
    let started = std::rc::Rc::new(std::cell::Cell::new(false));
    let (c2, flag) = (c.clone(), started.clone());
    origin.spawn(async move {
        c2.start().await;
        flag.set(true);
    });
    origin.run();
    origin.take_bus();
    origin.advance(u64::from(HELLO_WAIT_MS));
    assert!(started.get());
    assert_eq!(sub(&c), None);
}

#[test]
fn unreadable_or_oversized_messages_are_dropped() {
    let long_token = "x".repeat(MAX_MESSAGE_BYTES);
    let cases = [
        String::new(),
        "not json".into(),
        "[]".into(),
        r#"{"hello":{}}"#.into(),
        r#"{"hello":{"from":"a","extra":1}}"#.into(),
        r#"{"greeting":{"from":"a"}}"#.into(),
        r#"{"type":"hello","from":"a"}"#.into(),
        r#"{"hello":{"from":""}}"#.into(),
        format!(r#"{{"hello":{{"from":"{}"}}}}"#, "a".repeat(65)),
        r#"{"hello":{"from":"<script>"}}"#.into(),
        r#"{"hello":{"from":"tab-1"},"ended":{"version":1,"reason":"logout"}}"#.into(),
        r#"{"rotated":{"version":"1","rotation":1}}"#.into(),
        r#"{"rotated":{"version":1.5,"rotation":1}}"#.into(),
        r#"{"rotated":{"version":-1,"rotation":1}}"#.into(),
        r#"{"ended":{"version":1,"reason":"because"}}"#.into(),
        format!(
            r#"{{"ended":{{"version":{},"reason":"logout"}}}}"#,
            MAX_VERSION + 1
        ),
        format!(r#"{{"session":{{"to":null,"version":1,"id_token":"{long_token}","jkt":null}}}}"#),
        r#"{"session":{"to":"<b>","version":1,"id_token":"a","jkt":null}}"#.into(),
        r#"{"session":{"to":null,"version":1,"id_token":7,"jkt":null}}"#.into(),
        r#"{"session":{"version":1,"id_token":"a","jkt":null}}"#.into(),
        r#"{"token_request":{"from":"a","id":4294967296,"version":1,"audience":null,"scope":null,"rejected":null}}"#.into(),
        r#"{"token":{"to":"a","id":1,"version":1,"rotation":1,"access_token":"x","expires_at":"soon"}}"#.into(),
        r#"{"refused":{"to":"a","id":1,"version":1,"problem":{"code":"x"}}}"#.into(),
        r#"{"logged_out":{"to":"a","id":1,"version":1,"problems":{}}}"#.into(),
        r#"{"hello":"a"}"#.into(),
    ];
    for text in &cases {
        assert_eq!(TabMessage::decode(text), None, "{text:.80}");
    }
    assert!(TabMessage::decode(r#"{"hello":{"from":"tab-1"}}"#).is_some());

    // Delivered to a signed-in tab, none of them changes anything.
    let origin = Origin::new(true);
    let (a, a_events) = signed_in_tab(&origin, false);
    let before = a_events.borrow().len();
    for text in &cases {
        origin.forge(text);
    }
    assert_eq!(a_events.borrow().len(), before);
    assert_eq!(sub(&a).as_deref(), Some("7"));
}

#[test]
fn every_message_reads_back_as_it_was_written() {
    use super::messages::{EndReason, Problem};
    let problem = Problem {
        code: "network_error".into(),
        message: "offline".into(),
    };
    let messages = [
        TabMessage::Hello { from: "t-1".into() },
        TabMessage::Session {
            to: Some("t-1".into()),
            version: 3,
            id_token: "a.b.c".into(),
            jkt: Some("thumb".into()),
        },
        TabMessage::Session {
            to: None,
            version: MAX_VERSION,
            id_token: "a.b.c".into(),
            jkt: None,
        },
        TabMessage::NoSession { to: "t-1".into() },
        TabMessage::TokenRequest {
            from: "t-1".into(),
            id: u32::MAX,
            version: 1,
            audience: Some("https://api".into()),
            scope: None,
            rejected: Some("fp".into()),
        },
        TabMessage::Token {
            to: "t-1".into(),
            id: 1,
            version: 1,
            rotation: 0,
            access_token: "at".into(),
            expires_at: Some(NOW),
        },
        TabMessage::Refused {
            to: "t-1".into(),
            id: 1,
            version: 1,
            problem: problem.clone(),
        },
        TabMessage::Rotated {
            version: 1,
            rotation: 9,
        },
        TabMessage::LogoutRequest {
            from: "t-1".into(),
            id: 2,
            version: 1,
        },
        TabMessage::LoggedOut {
            to: "t-1".into(),
            id: 2,
            version: 1,
            problems: vec![problem],
        },
        TabMessage::Ended {
            version: 1,
            reason: EndReason::Expired,
        },
    ];
    for message in messages {
        assert_eq!(TabMessage::decode(&message.encode()), Some(message.clone()));
    }
}

#[test]
fn the_record_is_read_as_untrusted_and_versions_never_wrap() {
    for text in [
        "{",
        r#"{"version":"3","sub":"7"}"#,
        r#"{"version":3,"sub":"7","admin":true}"#,
        &format!(r#"{{"version":{},"sub":"7"}}"#, MAX_VERSION + 1),
        &format!(r#"{{"version":{},"sub":"7"}}"#, u64::MAX),
        &"x".repeat(MAX_MESSAGE_BYTES + 1),
    ] {
        assert_eq!(
            SharedRecord::parse(text).unwrap_err().code(),
            "shared_session_invalid",
            "{text:.60}"
        );
    }
    let last = SharedRecord {
        version: MAX_VERSION,
        ..SharedRecord::default()
    };
    assert_eq!(last.next_version(), None);

    // A login on top of a record at the last version stays in its tab, reported.
    let origin = Origin::new(true);
    origin.record.replace(Some(last.encode()));
    let (a, a_events) = origin.open_started(false);
    let (b, _) = origin.open_started(false);
    sign_in_as(&origin, &a, "7");
    assert_eq!(sub(&a).as_deref(), Some("7"));
    assert_eq!(sub(&b), None);
    assert_eq!(errors(&a_events), ["shared_session_invalid"]);
    assert_eq!(record(&origin).version, MAX_VERSION);
}

#[test]
fn a_refused_refresh_token_ends_the_session_in_every_tab() {
    let origin = Origin::new(true);
    let (a, a_events) = signed_in_tab(&origin, false);
    let (b, b_events) = origin.open_started(false);
    make_stale(&[&a, &b]);
    a.client()
        .platform()
        .answer("POST /token", 400, json!({"error": "invalid_grant"}));
    let token = ask_token(&origin, &b);
    origin.settle();
    assert_eq!(
        token.borrow().clone().unwrap().unwrap_err().code(),
        "invalid_grant"
    );
    for (tab, events) in [(&a, &a_events), (&b, &b_events)] {
        assert_eq!(sub(tab), None);
        assert_eq!(count(events, &SessionEvent::Expired), 1);
    }
    assert!(record(&origin).sub.is_none());
    assert!(!a.is_holder());
}

#[test]
fn logout_in_another_tab_is_revoked_by_the_holder_and_ends_every_tab() {
    let origin = Origin::new(true);
    let (a, a_events) = signed_in_tab(&origin, true);
    assert!(record(&origin).tokens.is_some(), "opted in: stored");
    let (b, b_events) = origin.open_started(true);
    // A login B started and never finished is dropped too.
    sign_in(b.client());
    let pending = b.client().pending_login_key();
    assert!(b
        .client()
        .platform()
        .storage
        .borrow()
        .contains_key(&pending));

    let outcome = std::rc::Rc::new(std::cell::RefCell::new(None));
    let (b2, seen) = (b.clone(), outcome.clone());
    origin.spawn(async move {
        seen.replace(Some(b2.logout(ProviderLogout::EndSessionPage).await));
    });
    origin.settle();
    let revoked: Vec<_> = a
        .client()
        .platform()
        .sent
        .borrow()
        .iter()
        .filter(|r| route(r) == "POST /revoke")
        .map(|r| r.body.clone().unwrap())
        .collect();
    assert_eq!(revoked.len(), 1);
    assert!(revoked[0].contains("token=rt-7-0"), "{revoked:?}");
    let end_session = outcome.borrow().clone().unwrap().expect("end-session URL");
    assert!(end_session.starts_with(&format!("{}/logout?", crate::testing::ISSUER)));
    assert!(end_session.contains("id_token_hint="));
    for (tab, events) in [(&a, &a_events), (&b, &b_events)] {
        assert_eq!(sub(tab), None);
        assert_eq!(count(events, &SessionEvent::Logout), 1);
        assert!(errors(events).is_empty(), "{:?}", events.borrow());
    }
    let after = record(&origin);
    assert_eq!((after.sub, after.tokens), (None, None));
    assert!(!b
        .client()
        .platform()
        .storage
        .borrow()
        .contains_key(&pending));

    // A reload finds nothing to restore.
    let (c, _) = origin.open_started(true);
    assert_eq!(sub(&c), None);
}

#[test]
fn a_failed_revocation_is_reported_and_the_end_session_page_takes_over() {
    let origin = Origin::new(true);
    let (a, a_events) = signed_in_tab(&origin, true);
    a.client().platform().answer(
        "POST /revoke",
        503,
        json!({"error": "temporarily_unavailable"}),
    );
    let outcome = std::rc::Rc::new(std::cell::RefCell::new(None));
    let (a2, seen) = (a.clone(), outcome.clone());
    origin.spawn(async move {
        seen.replace(Some(a2.logout(ProviderLogout::PageIfIncomplete).await));
    });
    origin.settle();
    assert!(
        outcome.borrow().clone().unwrap().is_some(),
        "fell back to the page"
    );
    assert_eq!(errors(&a_events), ["logout_incomplete"]);
    let reported = a_events
        .borrow()
        .iter()
        .find_map(|e| match e {
            SessionEvent::Error(error) => Some(error.to_string()),
            _ => None,
        })
        .unwrap();
    assert!(reported.contains("token_error"), "{reported}");
    // Forgotten all the same, the stored refresh token included.
    assert_eq!(sub(&a), None);
    assert_eq!(record(&origin).tokens, None);
}

#[test]
fn logout_keeping_the_provider_session_still_clears_the_store() {
    let origin = Origin::new(true);
    let (a, a_events) = signed_in_tab(&origin, true);
    let a2 = a.clone();
    origin.spawn(async move {
        assert_eq!(a2.logout(ProviderLogout::Keep).await, None);
    });
    origin.settle();
    assert_eq!(record(&origin).tokens, None);
    assert_eq!(count(&a_events, &SessionEvent::Logout), 1);
    let (b, _) = origin.open_started(true);
    assert_eq!(sub(&b), None, "the next visitor is not signed in");
}

#[test]
fn when_the_holding_tab_closes_memory_sessions_end_and_stored_ones_move_on() {
    // Memory only: the refresh token left with its tab.
    let origin = Origin::new(true);
    let (a, _) = signed_in_tab(&origin, false);
    let (b, b_events) = origin.open_started(false);
    origin.close(&a);
    make_stale(&[&b]);
    let token = ask_token(&origin, &b);
    origin.settle();
    assert_eq!(token.borrow().clone(), Some(Err(Error::NotSignedIn)));
    assert_eq!(count(&b_events, &SessionEvent::Expired), 1);

    // Opted in: the next tab takes the stored refresh token over and refreshes.
    let origin = Origin::new(true);
    let (a, _) = signed_in_tab(&origin, true);
    let (b, _) = origin.open_started(true);
    origin.close(&a);
    make_stale(&[&b]);
    answer_refresh(&b, "7", 1);
    let token = ask_token(&origin, &b);
    origin.settle();
    assert_eq!(token.borrow().clone(), Some(Ok("at-7-1".into())));
    assert!(b.is_holder());
    assert_eq!(
        record(&origin).tokens.unwrap().refresh_token,
        "rt-7-1",
        "the rotated token replaced the stored one"
    );
}

#[test]
fn a_stored_session_is_verified_and_proved_by_a_refresh_before_use() {
    let origin = Origin::new(true);
    let (a, _) = signed_in_tab(&origin, true);
    origin.close(&a);

    // A reload: verified, refreshed, announced.
    let (b, b_events) = origin.open(true);
    answer_refresh(&b, "7", 1);
    origin.spawn_start(&b);
    origin.settle();
    assert_eq!(sub(&b).as_deref(), Some("7"));
    assert_eq!(refreshes(&b), 1);
    assert!(matches!(
        b_events.borrow().last(),
        Some(SessionEvent::Login(_))
    ));
    origin.close(&b);

    // A record whose user is not the stored ID token's is refused.
    let mut tampered = record(&origin);
    tampered.sub = Some("mallory".into());
    origin.record.replace(Some(tampered.encode()));
    let (c, c_events) = origin.open(true);
    origin.spawn_start(&c);
    origin.settle();
    assert_eq!(sub(&c), None);
    assert_eq!(errors(&c_events), ["shared_session_invalid"]);
    assert_eq!(refreshes(&c), 0, "nothing was sent with it");
}

#[test]
fn without_locks_or_channel_each_tab_keeps_its_own_session() {
    let origin = Origin::new(false);
    let (a, _) = signed_in_tab(&origin, true);
    let (b, _) = origin.open_started(true);
    assert_eq!(sub(&b), None, "not shared");
    assert!(origin.log.borrow().is_empty(), "nothing posted");
    assert!(origin.record.borrow().is_none(), "nothing stored");
    make_stale(&[&a]);
    let token = ask_token(&origin, &a);
    origin.settle();
    assert_eq!(token.borrow().clone(), Some(Ok("at-7-1".into())));
}
