// The test mailbox: the last mail "sent" to each address, kept in memory. Nothing is
// really sent; the server logs one line per mail so a person can read the code too.
// Same record shape as the allauth devserver's testkit: {email, purpose, code, sent_at}.
export function createMailbox({ log = console.log } = {}) {
  const lastMail = new Map();
  return {
    /** purpose: the better-auth OTP type ("email-verification", "sign-in",
     * "forget-password", "change-email") or "account-already-exists" (code null). */
    send(email, purpose, code = null) {
      const address = email.trim().toLowerCase();
      lastMail.set(address, { email: address, purpose, code, sent_at: Date.now() / 1000 });
      log(`[mail] to=${address} purpose=${purpose}${code ? ` code=${code}` : ''}`);
    },
    last(email) {
      return lastMail.get(String(email).trim().toLowerCase());
    },
  };
}
