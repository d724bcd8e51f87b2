// Locked out: against a backend of the same kind with its rate limits on, repeated
// wrong passwords reach the backend's limit, shown as such, with what was typed kept;
// even the right password waits then, so the lock says nothing about the password.
import assert from 'node:assert/strict';

import { SEED_EMAIL, SEED_PASSWORD } from '../support/backend.mjs';
import { countErrors, nthError } from './steps.mjs';

export default [{
  title: 'locked out: repeated wrong passwords reach the backend\'s limit, shown as such, input kept',
  needs: ['RateLimits'],
  errors: ['invalid_credentials', 'rate_limited'],
  async run(env) {
    const { t } = env;
    const { refusedAttempt } = env.backend.rateLimits;
    const tab = await (await env.openProfile()).newTab(`${await env.rateLimitedShop()}/`);
    const widget = tab.widget;
    await tab.page.button('Sign in').click();
    await widget.heading(t.sign_in_title).waitFor();
    await countErrors(tab);
    await widget.field(t.email_label).fill(SEED_EMAIL);
    const codes = [];
    for (let attempt = 1; attempt <= refusedAttempt; attempt++) {
      await widget.field(t.password_label).fill(`wrong password ${attempt}`);
      await widget.button(t.submit).click();
      codes.push(await nthError(tab, attempt));
    }
    assert.deepEqual(codes, [...Array(refusedAttempt - 1).fill('invalid_credentials'), 'rate_limited'],
      `${env.backend.name} refuses failure ${refusedAttempt} as too many`);
    assert.match(await widget.role('alert').text(), /^Too many attempts/);
    assert.equal(await widget.field(t.password_label).value(), `wrong password ${refusedAttempt}`, 'what was typed stays');

    await widget.field(t.password_label).fill(SEED_PASSWORD);
    await widget.button(t.submit).click();
    assert.equal(await nthError(tab, refusedAttempt + 1), 'rate_limited');
  },
}];
