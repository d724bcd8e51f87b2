// Right to left: in Arabic the widget's card says dir="rtl" and lang="ar", and the
// form is laid out from the right: each label starts at the right edge of its field,
// and the password's "show" button sits on the field's left. Arabic comes from
// locale="ar" on the element, and from the browser's language when the shop leaves
// the choice to the browser.
import assert from 'node:assert/strict';

import { stringsFor } from '../support/strings.mjs';

/** Checks that the sign-in form in `tab` is the Arabic one, laid out right to left. */
async function assertArabicForm(tab, ar) {
  await tab.widget.heading(ar.sign_in_title).waitFor();
  const email = tab.widget.field(ar.email_label);
  const card = await email.evaluate((input) => {
    const card = input.closest('[dir]');
    return { dir: card.getAttribute('dir'), lang: card.getAttribute('lang'), overflow: card.scrollWidth - card.clientWidth };
  });
  assert.deepEqual({ dir: card.dir, lang: card.lang }, { dir: 'rtl', lang: 'ar' });
  assert.ok(card.overflow <= 0, `the card scrolls sideways by ${card.overflow} px`);
  const boxes = (input) => {
    const box = (element) => { const r = element.getBoundingClientRect(); return { left: r.left, right: r.right }; };
    const reveal = input.parentElement.querySelector('button');
    return { input: box(input), label: box(input.labels[0]), reveal: reveal && box(reveal) };
  };
  const emailBoxes = await email.evaluate(boxes);
  assert.ok(Math.abs(emailBoxes.label.right - emailBoxes.input.right) < 2,
    `the label ends at the field's right edge: ${JSON.stringify(emailBoxes)}`);
  const password = await tab.widget.field(ar.password_label).evaluate(boxes);
  assert.ok(password.reveal.right <= password.input.left + 1, `"show" is left of the field: ${JSON.stringify(password)}`);
  assert.equal(await tab.widget.button(ar.submit).isVisible(), true);
}

export default [{
  title: 'right to left: locale="ar", and Arabic as the browser language',
  async run(env) {
    const ar = await stringsFor('ar');
    const tab = await (await env.openProfile()).newTab(`${env.shop}/`);
    await tab.page.button('Sign in').click();
    await tab.widget.heading(env.t.sign_in_title).waitFor();
    await tab.evaluate(() => document.querySelector('latchkey-widget').setAttribute('locale', 'ar'));
    await assertArabicForm(tab, ar);

    const arabic = await (await env.openProfile({ locale: 'ar' })).newTab(`${env.shop}/`);
    assert.match(await arabic.evaluate(() => navigator.language), /^ar\b/);
    await arabic.page.button('Sign in').click();
    await assertArabicForm(arabic, ar);
  },
}];
