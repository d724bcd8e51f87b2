// WebKit for the cross-engine journeys: Debian's WebKitGTK, its MiniBrowser in
// automation mode driven by WebKitWebDriver through selenium-webdriver, on an X
// server of its own (Xvfb). Each profile is a WebDriver session: a MiniBrowser with
// fresh, ephemeral storage, started in its browser language (glibc locales made once
// per run with localedef, since Debian installs none). Its tabs are the session's
// windows, so one command at a time goes to the window it is meant for.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Builder, Key } from 'selenium-webdriver';

const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const KEYS = { Enter: Key.ENTER, Tab: Key.TAB, Space: Key.SPACE, Backspace: Key.BACK_SPACE, Escape: Key.ESCAPE };

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', ...options });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}

/** An X server on a free display (Xvfb picks it and writes its number to fd 3).
 * Two runs starting at once can race for one display, and the loser exits: it is
 * started again. */
async function startX(attempts = 3) {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x1024x24'],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  try {
    const display = await new Promise((resolve, reject) => {
      xvfb.on('error', reject);
      xvfb.on('exit', (code) => reject(new Error(`Xvfb exited (${code}) before naming its display`)));
      xvfb.stdio[3].once('data', (data) => resolve(`:${String(data).trim()}`));
      setTimeout(() => reject(new Error('Xvfb named no display within 20 s')), 20_000).unref();
    });
    return { display, stop: () => xvfb.kill() };
  } catch (error) {
    xvfb.kill();
    if (attempts <= 1) throw error;
    return startX(attempts - 1);
  }
}

/** The glibc locale for a BCP 47 tag (WebKitGTK takes its languages from LANG). */
async function localeFor(tag, dir, made) {
  const [language, region] = tag.split('-');
  const name = `${language}_${region ?? { en: 'US', ar: 'SA', he: 'IL', ja: 'JP', pt: 'BR' }[language] ?? language.toUpperCase()}`;
  if (!made.has(name)) made.set(name, run('localedef', ['-i', name, '-f', 'UTF-8', path.join(dir, `${name}.UTF-8`)]));
  await made.get(name);
  return `${name}.UTF-8`;
}

async function waitForDriver(url, child) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/status`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`WebKitWebDriver did not answer at ${url}`);
}

/** `ports`: the ports WebKitWebDriver may listen on, one per open profile. */
export async function launch({ ports }) {
  const x = await startX();
  const locales = await mkdtemp(path.join(tmpdir(), 'latchkey-locales-'));
  const made = new Map();
  const free = [...ports];
  const open = new Set();

  async function newProfile({ locale }) {
    const port = free.shift();
    if (!port) throw new Error('no port left for another WebKit profile');
    const env = { ...process.env, DISPLAY: x.display, LOCPATH: locales, LANG: await localeFor(locale, locales, made) };
    delete env.LANGUAGE;
    delete env.LC_ALL;
    const server = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore', env });
    const url = `http://localhost:${port}`;
    let driver;
    try {
      await waitForDriver(url, server);
      driver = await new Builder().usingServer(url).withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      }).build();
    } catch (error) {
      server.kill();
      free.push(port);
      throw error;
    }
    const profile = session(driver, async () => {
      open.delete(profile);
      await driver.quit().catch(() => {});
      server.kill();
      free.push(port);
    });
    open.add(profile);
    return profile;
  }

  const stop = async () => {
    await Promise.all([...open].map((profile) => profile.close()));
    x.stop();
    await rm(locales, { recursive: true, force: true });
  };
  let version;
  try {
    const first = await newProfile({ locale: 'en-US' });
    version = (await first.driver.getCapabilities()).get('browserVersion');
    await first.close();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    version: `WebKitGTK ${version} (MiniBrowser)`,
    newProfile,
    close: stop,
  };
}

/** A session's windows as tabs; `quit` ends it. */
function session(driver, quit) {
  let queue = Promise.resolve();
  let current = null;
  let firstWindowFree = true;
  /** Runs `action` with the session switched to `handle`, after every earlier command. */
  const inWindow = (handle, action) => {
    const result = queue.then(async () => {
      if (current !== handle) {
        await driver.switchTo().window(handle);
        current = handle;
      }
      return action();
    });
    queue = result.catch(() => {});
    return result;
  };

  async function newTab() {
    const handle = await (queue = queue.then(async () => {
      if (firstWindowFree) {
        firstWindowFree = false;
        current = await driver.getWindowHandle();
      } else {
        await driver.switchTo().newWindow('tab');
        current = await driver.getWindowHandle();
      }
      return current;
    }));
    const inTab = (action) => inWindow(handle, action);
    return {
      // WebKitWebDriver answers at DOMContentLoaded; the other drivers wait for load
      // (styles applied, so a click lands where the element is drawn).
      goto: (url) => inTab(async () => {
        await driver.get(url);
        await driver.wait(() => driver.executeScript('return document.readyState === "complete"'), 15_000);
      }),
      url: () => inTab(() => driver.getCurrentUrl()),
      run: (expression) => inTab(() => driver.executeScript(`return ${expression};`)),
      element: (expression) => inTab(() => driver.executeScript(`return ${expression};`)),
      click: (element) => inTab(async () => {
        try {
          await element.click();
        } catch (error) {
          // A click on a field in a shadow root is said to hit its host: point at it instead.
          if (error.name !== 'ElementClickInterceptedError') throw error;
          await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', element);
          await driver.actions().move({ origin: element }).click().perform();
        }
      }),
      fill: (element, text) => inTab(async () => {
        await driver.executeScript('arguments[0].focus()', element);
        const keys = driver.actions().keyDown(Key.CONTROL).sendKeys('a').keyUp(Key.CONTROL);
        await (text ? keys.sendKeys(text) : keys.sendKeys(Key.BACK_SPACE)).perform();
      }),
      press: (key) => inTab(() => driver.actions().sendKeys(KEYS[key] ?? key).perform()),
      type: (text) => inTab(() => driver.actions().sendKeys(text).perform()),
      close: () => inTab(async () => {
        await driver.close();
        const [other] = await driver.getAllWindowHandles();
        current = null;
        if (other) {
          await driver.switchTo().window(other);
          current = other;
        }
      }),
    };
  }
  return { driver, newTab, close: () => queue.then(quit) };
}
