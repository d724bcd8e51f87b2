// Accessibility in every engine: axe-core (the WCAG 2.0–2.2 A and AA rules, as
// tests/e2e/a11y.test.mjs uses them on every screen in Chromium) finds no violation
// in the widget's sign-in and sign-up screens, with and without field errors. The
// page is served without its CSP (`?audit`), which would refuse axe's own styles.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const MIN_PASSED = 10;

/** axe's violations in the widget, as "rule: help (elements)", and how many rules it passed there. */
async function audit(tab) {
  await tab.evaluate((source) => {
    if ('axe' in window) return;
    const script = document.createElement('script');
    script.textContent = source;
    document.head.append(script);
  }, AXE);
  return tab.evaluate(async (tags) => {
    const result = await window.axe.run({ include: [['latchkey-widget']] }, { runOnly: { type: 'tag', values: tags } });
    return {
      violations: result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
      passed: result.passes.length,
    };
  }, TAGS);
}

export default [{
  title: 'axe: no WCAG 2.x A/AA violations on the sign-in and sign-up screens',
  errors: ['invalid_input'],
  async run(env) {
    const { t } = env;
    const tab = await (await env.openProfile()).newTab(`${env.shop}/?audit`);
    const audits = {};
    await tab.page.button('Sign in').click();
    await tab.widget.heading(t.sign_in_title).waitFor();
    audits['sign in'] = await audit(tab);
    await tab.widget.button(t.submit).click();
    await tab.widget.role('alert').waitFor();
    audits['sign in, empty fields'] = await audit(tab);
    await tab.widget.button(t.create_account).click();
    await tab.widget.heading(t.sign_up_title).waitFor();
    audits['sign up'] = await audit(tab);
    await tab.widget.button(t.sign_up_submit).click();
    await tab.widget.text(t.terms_required).waitFor();
    audits['sign up, with errors'] = await audit(tab);
    for (const [screen, { violations, passed }] of Object.entries(audits)) {
      assert.deepEqual(violations, [], screen);
      // axe reached into the widget's shadow root: labels, names, contrast, language…
      assert.ok(passed >= MIN_PASSED, `${screen}: only ${passed} rules applied`);
    }
  },
}];
