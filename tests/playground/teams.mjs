// scrbot in Microsoft 365 Agents Playground (its real Adaptive Card renderer), driven in Debian's
// chromium by playwright-core as a person would: type in the message box, @mention the bot in
// group chats and channels, press card buttons, fill the reflection form.
// Run by tests/playground/test_teams_playground.py, which starts `scrbot serve` and the playground
// and passes PLAYGROUND_TEST as JSON: {url, screens, postPrompt}; postPrompt ({argv, cwd, env}) posts
// this week's prompt now, as an admin would (`scrbot prompt send --platform teams`).
// Prints one JSON line {checks: [[feature, name, ok, detail]]}; exits 1 if any check failed.
import { chromium } from 'playwright-core';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';

const cfg = JSON.parse(process.env.PLAYGROUND_TEST);
const checks = [];
const check = (feature, name, ok, detail = '') =>
  checks.push([feature, name, Boolean(ok), String(detail).replace(/\s+/g, ' ').slice(0, 4000)]);

const BOT = 'Test Bot'; // the playground's name for the app under test
const FOOTER = /Call 999\.[\s\S]*front door/;
const URGENT = 'If a child is in immediate danger, call 999 now.';
const REPLY_WAIT = 20000; // generous: CI machines run other suites beside this one
const SILENCE = 3000; // how long "no answer" is watched for

// A card inside a card (the reflection form behind Reflect) is part of its message.
const TOP_CARD = '.ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let step = 0;
const shot = async (page, name) => {
  if (!cfg.screens) return;
  mkdirSync(cfg.screens, { recursive: true });
  step += 1;
  await page.screenshot({ path: join(cfg.screens, `${String(step).padStart(2, '0')}-${name}.png`) });
};

// What counts as one reply: in chats, a message whose author is the bot (cards and text alike);
// in a channel thread, where messages carry no labels, each new top-level card. Every reply seen
// is marked in the page, so "the next reply" is the first unmarked one wherever it is drawn
// (a channel shows the newest post first).
const findReplies = ([top, bot]) => {
  const messages = [...document.querySelectorAll('[aria-label="Message author"]')]
    .filter((author) => author.textContent.trim() === bot)
    .map((author) => author.closest('[aria-label="Message header"]').parentElement);
  const cards = [...document.querySelectorAll(top)].filter((card) => !messages.some((m) => m.contains(card)));
  return [...messages, ...cards];
};
let replies = 0;

async function markSeen(page) {
  await page.evaluate(([top, bot, find]) => {
    for (const reply of eval(find)([top, bot])) reply.dataset.scrbotSeen = '1';
  }, [TOP_CARD, BOT, findReplies.toString()]);
}

// The bot's next reply after the last markSeen: its element, its card (if any) and its text.
async function nextReply(page, wait = REPLY_WAIT) {
  const deadline = Date.now() + wait;
  for (;;) {
    const id = await page.evaluate(([top, bot, find, n]) => {
      const fresh = eval(find)([top, bot]).find((reply) => !reply.dataset.scrbotSeen);
      if (!fresh) return null;
      fresh.dataset.scrbotSeen = '1';
      fresh.dataset.scrbotReply = String(n);
      return n;
    }, [TOP_CARD, BOT, findReplies.toString(), replies + 1]);
    if (id !== null) break;
    if (Date.now() > deadline) return null;
    await page.waitForTimeout(100);
  }
  replies += 1;
  await page.waitForTimeout(300); // the card renders just after its message appears
  const message = page.locator(`[data-scrbot-reply="${replies}"]`);
  await message.scrollIntoViewIfNeeded();
  const isCard = await message.evaluate((el, top) => el.matches(top), TOP_CARD);
  const cards = message.locator(TOP_CARD);
  const card = isCard ? message : (await cards.count()) ? cards.last() : null;
  return { message, card, text: await message.innerText(), cardText: card ? await card.innerText() : '' };
}

const botMessages = (page) => page
  .locator('[aria-label="Message header"]', { has: page.locator('[aria-label="Message author"]', { hasText: BOT }) });

// In a channel the first editor starts a new post (sent with Post); replies sit in threads below.
async function send(page, text, { mention = false } = {}) {
  const box = page.locator('[data-lexical-editor="true"]').first();
  await box.click();
  if (mention) {
    await box.pressSequentially('@');
    // The mention picker lists the bot first, then the people in the conversation.
    await page.getByRole('menu').getByText(BOT, { exact: true }).first().click();
    await box.pressSequentially(' ');
  }
  await box.pressSequentially(text);
  const post = page.getByRole('button', { name: 'Post', exact: true });
  if (await post.count()) await post.click();
  else await page.keyboard.press('Enter');
}

async function ask(page, text, options = {}) {
  await markSeen(page);
  await send(page, text, options);
  return nextReply(page);
}

async function press(page, card, name) {
  await markSeen(page);
  await card.getByRole('button', { name, exact: true }).click();
  return nextReply(page);
}

const sleep = (page, ms) => page.waitForTimeout(ms);

// How many top-level cards' drawn text passes `expect`. The Adaptive Card renderer draws a card
// anew on each refresh, so an element found before may be gone: cards are counted, not held.
const matchingCards = async (page, expect) =>
  (await page.locator(TOP_CARD).allInnerTexts()).filter((text) => expect.test(text)).length;

// Marks the last card passing `expect` as the next reply, and returns it held by that mark: a later
// press may change its text (a form becomes the saved actions), which a text filter would lose.
async function markMatchingCard(page, expect) {
  const texts = await page.locator(TOP_CARD).allInnerTexts();
  const index = texts.findLastIndex((text) => expect.test(text));
  replies += 1;
  await page.locator(TOP_CARD).nth(index)
    .evaluate((card, n) => { card.dataset.scrbotSeen = '1'; card.dataset.scrbotReply = String(n); }, replies);
  return page.locator(`[data-scrbot-reply="${replies}"]`);
}

// Press `name` on `reply`'s card and wait for `expect` to show: in the same message (a card
// refreshed in place), in the bot's next reply, or in a card that was not there before.
async function pressFor(page, reply, name, expect) {
  const before = await matchingCards(page, expect);
  await markSeen(page);
  await (reply.card ?? reply.message).getByRole('button', { name, exact: true }).first().click();
  const deadline = Date.now() + REPLY_WAIT;
  while (Date.now() < deadline) {
    // A card refreshed in place may no longer match the locator that found it: do not wait on it.
    const same = await reply.message.innerText({ timeout: 500 }).catch(() => '');
    if (expect.test(same)) {
      const cards = reply.message.locator(TOP_CARD);
      return { ...reply, card: (await cards.count()) ? cards.last() : reply.card, text: same, inPlace: true };
    }
    const next = await nextReply(page, 0);
    if (next && expect.test(next.text)) return { ...next, inPlace: false };
    if ((await matchingCards(page, expect)) > before) {
      const card = await markMatchingCard(page, expect);
      return { message: card, card, text: await card.innerText(), inPlace: true };
    }
    await sleep(page, 150);
  }
  return null;
}

// The text `message` shows once it passes `expect` (a card redrawn in place), or null.
async function drawnWithin(message, expect) {
  const deadline = Date.now() + REPLY_WAIT;
  while (Date.now() < deadline) {
    const text = await message.innerText({ timeout: 500 }).catch(() => '');
    if (expect.test(text)) return text;
    await message.page().waitForTimeout(150);
  }
  return null;
}

async function silence(page, text, options = {}) {
  await markSeen(page);
  await send(page, text, options);
  await page.waitForTimeout(SILENCE);
  return (await nextReply(page, 0)) === null;
}

async function openConversation(page, name) {
  await page.getByText(name, { exact: true }).first().click();
  await page.locator('[data-lexical-editor="true"]').first().waitFor();
  await page.waitForTimeout(500);
}

// The message extension, as the compose box offers it: the playground does not read the app
// manifest, so the command id and parameter name it declares are typed in, as Teams sends them.
async function searchThemes(page, words, title) {
  await page.getByRole('button', { name: 'Trigger Message Extension App' }).click();
  await page.getByRole('menuitem', { name: 'Search Command' }).click();
  await page.getByText('Specify Command ID or Parameter').click();
  await page.getByPlaceholder('Command ID').fill('findTheme');
  await page.getByPlaceholder('Parameter name').fill('query');
  await page.getByPlaceholder('Enter a search term').fill(words);
  const result = page.getByText(title, { exact: true }).first();
  return result.waitFor({ timeout: REPLY_WAIT }).then(() => result).catch(() => null);
}

// Press `name` on a card the person sent (not a bot reply) and wait for the card's text to pass
// `expect` (a test of the whole text: the card before the press may already hold some of it).
async function pressInPlace(page, card, name, expect) {
  const before = { bot: await botMessages(page).count(), cards: await page.locator(TOP_CARD).count() };
  await card.getByRole('button', { name, exact: true }).first().click();
  const deadline = Date.now() + REPLY_WAIT;
  while (Date.now() < deadline) {
    const text = await card.innerText({ timeout: 500 }).catch(() => '');
    if (expect(text)) {
      const after = { bot: await botMessages(page).count(), cards: await page.locator(TOP_CARD).count() };
      return { text, posted: after.bot !== before.bot || after.cards !== before.cards };
    }
    await sleep(page, 150);
  }
  return null;
}

const ended = (reply) => reply && FOOTER.test(reply.text.trim().split('\n').slice(-8).join('\n'));

// Rows every conversation type shares: an answer card, urgent help first, the footer, a button.
async function answerRows(page, where, mention) {
  const answer = await ask(page, 'what is neglect?', { mention });
  check('answer', `${where}: a theme question gets an answer card`, answer?.card && /Neglect/.test(answer.text),
    answer?.text ?? 'no reply');
  check('footer', `${where}: the answer ends with the 999 and front door line`, ended(answer), answer?.text.slice(-200));
  await shot(page, `${where}-answer`);
  if (answer?.card) {
    const questions = await press(page, answer.card, 'Reflective questions');
    check('buttons', `${where}: Reflective questions shows the theme's questions`,
      questions?.card && /Reflective questions/.test(questions.text) && /•/.test(questions.text), questions?.text);
    check('footer', `${where}: Reflective questions ends with the footer`, ended(questions), questions?.text.slice(-200));
    await shot(page, `${where}-questions`);
  }
  const urgent = await ask(page, 'a child told me today her stepdad hits her and she is scared to go home tonight',
    { mention });
  check('urgent', `${where}: an urgent message gets the urgent signposting first`,
    urgent?.cardText.trim().startsWith(URGENT), urgent?.cardText ?? 'no reply');
  check('footer', `${where}: the urgent answer ends with the footer`, ended(urgent), urgent?.text.slice(-200));
  await shot(page, `${where}-urgent`);
}

try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // The playground asks Microsoft's CDN for fonts: nothing may leave 127.0.0.1.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    return url.startsWith(cfg.url) || url.startsWith('data:') || url.startsWith('blob:') ? route.continue() : route.abort();
  });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(cfg.url);

  // 1:1 chat. Opening the playground installs the app: the bot's welcome is the first message.
  const welcome = await nextReply(page);
  check('welcome', 'personal: installing the app sends a welcome card',
    welcome?.card && /learning from Serious Case Reviews/.test(welcome.text), welcome?.text ?? 'no welcome');
  await shot(page, 'personal-welcome');
  const picker = welcome?.card ? welcome.card.getByRole('combobox') : null;
  check('welcome', 'personal: the welcome has a theme picker', picker && (await picker.count()) === 1);
  if (picker && (await picker.count()) === 1) {
    await picker.selectOption({ label: 'Disguised compliance' }).catch(async () => {
      await picker.click();
      await page.getByRole('option', { name: 'Disguised compliance', exact: true }).click();
    });
    const picked = await press(page, welcome.card, 'Show theme');
    check('welcome', 'personal: picking a theme in the welcome and pressing Show theme gets its answer',
      picked?.card && /Disguised compliance/.test(picked.text) && ended(picked), picked?.text ?? 'no reply');
    await shot(page, 'personal-welcome-picked');
  }
  await answerRows(page, 'personal', false);

  const answer = await ask(page, 'what is disguised compliance?');
  for (const [button, expect] of [['Discussion starter', /discuss|Discuss|team/], ['Related themes', /Related|related/]]) {
    const reply = answer?.card ? await press(page, answer.card, button) : null;
    check('buttons', `personal: ${button} gets its card`, reply?.card && expect.test(reply.text), reply?.text);
    check('footer', `personal: ${button} ends with the footer`, ended(reply), reply?.text.slice(-200));
    await shot(page, `personal-${button.toLowerCase().replace(/ /g, '-')}`);
  }

  // The quiz: three answer buttons; pressing one gets the explanation.
  const quiz = await ask(page, 'quiz');
  const options = quiz?.card ? await quiz.card.getByRole('button', { name: /^[ABC]: / }).allInnerTexts() : [];
  check('quiz', 'personal: "quiz" gets a scenario with three answer buttons',
    /Quiz: which theme fits best\?/.test(quiz?.text) && options.length === 3, `${options} ${quiz?.text}`);
  check('footer', 'personal: the quiz ends with the footer', ended(quiz), quiz?.text.slice(-200));
  await shot(page, 'personal-quiz');
  if (options.length) {
    const feedback = await press(page, quiz.card, options[0]);
    check('quiz', 'personal: pressing an answer button gets the explanation',
      /Yes: .* fits best|Not quite: the best fit is/.test(feedback?.text), feedback?.text ?? 'no reply to the press');
    await shot(page, 'personal-quiz-pressed');
    const tally = await drawnWithin(quiz.message, /Answers so far[\s\S]*\d+ answers?: A \d+ · B \d+ · C \d+/);
    check('tally', 'personal: pressing an answer redraws the same quiz card with the tally',
      Boolean(tally), tally ?? (await quiz.message.innerText().catch(() => 'the quiz message is gone')));
    const typed = await ask(page, 'quiz');
    const letter = await ask(page, 'B');
    check('quiz', 'personal: answering a quiz by typing its letter gets the explanation',
      typed && /Yes: .* fits best|Not quite: the best fit is/.test(letter?.text), letter?.text ?? 'no reply');
    check('footer', 'personal: the quiz explanation ends with the footer', ended(letter), letter?.text.slice(-200));
    await shot(page, 'personal-quiz-typed');
  }

  // Saving a reflection through the card: Reflect opens the form inside the answer card.
  const reflectOn = await ask(page, 'what is the voice of the child?');
  const reflectionCard = reflectOn?.card;
  if (reflectionCard) {
    await reflectionCard.getByRole('button', { name: 'Reflect', exact: true }).click();
    const textarea = reflectionCard.locator('textarea');
    await textarea.waitFor({ timeout: 5000 }).catch(() => {});
    check('reflection', 'personal: Reflect opens the reflection form in the card', await textarea.count() === 1);
    await textarea.fill('Next time I will ask to see the child on their own and write down their own words.');
    await reflectionCard.getByRole('combobox').last().click().catch(() => {});
    const confident = page.getByRole('option', { name: '4', exact: true });
    if (await confident.count()) await confident.click();
    await shot(page, 'personal-reflection-form');
    const saved = await press(page, reflectionCard, 'Save reflection');
    check('reflection', 'personal: Save reflection says it was saved', /saved/i.test(saved?.text) && !/not saved/i.test(saved?.text),
      saved?.text ?? 'no reply');
    await shot(page, 'personal-reflection-saved');
  }

  // The privacy guard: the same card comes back with what it found, the text kept in it.
  const guardOn = await ask(page, 'what is professional curiosity?');
  const guardCard = guardOn?.card;
  if (guardCard) {
    const identifying = 'I visited Tobiah Smith at 12 Acacia Road and will check the chronology next time.';
    await guardCard.getByRole('button', { name: 'Reflect', exact: true }).click();
    await guardCard.locator('textarea').fill(identifying);
    const before = await botMessages(page).count();
    await guardCard.getByRole('button', { name: 'Save reflection', exact: true }).click();
    await guardCard.getByText(/Not saved yet/).waitFor({ timeout: REPLY_WAIT }).catch(() => {});
    const shown = await guardCard.innerText();
    check('guard', 'personal: identifying text is refused in the same card, saying what to remove',
      /Not saved yet/.test(shown) && /12 Acacia Road/.test(shown) && /address/.test(shown), shown);
    check('guard', 'personal: the refused text is kept in the card',
      (await guardCard.locator('textarea').inputValue()) === identifying, await guardCard.locator('textarea').inputValue());
    check('guard', 'personal: the refusal is the card refreshed, not a new message',
      (await botMessages(page).count()) === before, `${before} -> ${await botMessages(page).count()}`);
    await shot(page, 'personal-guard-refused');
    await guardCard.getByRole('button', { name: 'Replace them for me', exact: true }).click();
    await guardCard.getByText(/I replaced them/).waitFor({ timeout: REPLY_WAIT }).catch(() => {});
    const replaced = await guardCard.locator('textarea').inputValue().catch(() => '');
    check('guard', 'personal: Replace them for me puts neutral words in the kept text',
      /\[address\]/.test(replaced) && !/Acacia/.test(replaced), replaced);
    await shot(page, 'personal-guard-replaced');
  }
  // Only a possible name: the guard asks, with a tick box to say it is not a person.
  const askOn = await ask(page, 'what is think the unthinkable?');
  const askCard = askOn?.card;
  if (askCard) {
    const unsure = 'Next time I will ask Kezia how the visit went before I write it up.';
    await askCard.getByRole('button', { name: 'Reflect', exact: true }).click();
    await askCard.locator('textarea').fill(unsure);
    await askCard.getByRole('button', { name: 'Save reflection', exact: true }).click();
    await askCard.getByText(/Not saved yet/).waitFor({ timeout: REPLY_WAIT }).catch(() => {});
    const shown = await askCard.innerText();
    check('guard', 'personal: a possible name is asked about, with a tick box for "not a person"',
      /Not saved yet/.test(shown) && /Kezia/.test(shown) && /None of these is a child/.test(shown), shown);
    check('guard', 'personal: the questioned text is kept in the card',
      (await askCard.locator('textarea').inputValue()) === unsure);
    await shot(page, 'personal-guard-asked');
    await askCard.getByText('None of these is a child', { exact: false }).click();
    const saved = await press(page, askCard, 'Save reflection');
    check('guard', 'personal: ticking "not a person" saves it as written',
      /saved/i.test(saved?.text) && !/not saved/i.test(saved?.text), saved?.text ?? 'no reply');
    await shot(page, 'personal-guard-ticked');
  }


  // My reflections: the list, Edit (the form in place, text kept), Delete with a confirmation.
  const mine = await ask(page, 'my reflections');
  check('my-reflections', 'personal: "my reflections" lists what I saved, with Edit and Delete',
    /Your reflections/.test(mine?.text) && /see the child on their own/.test(mine?.text) && /Kezia/.test(mine?.text)
    && (await mine.message.getByRole('button', { name: 'Edit', exact: true }).count()) >= 2, mine?.text ?? 'no reply');
  await shot(page, 'personal-my-reflections');
  if (mine?.card) {
    const editing = await pressFor(page, mine, 'Edit', /Save changes/);
    const box = editing ? editing.message.locator('textarea').last() : null;
    const kept = box ? await box.inputValue().catch(() => '') : '';
    check('my-reflections', 'personal: Edit opens the form holding the reflection', /Kezia/.test(kept), kept || editing?.text);
    await shot(page, 'personal-my-reflections-edit');
    if (box && kept) {
      await box.fill('Next time I will ask the child how the visit went before I write it up.');
      const updated = await pressFor(page, editing, 'Save changes', /Your reflection is updated/);
      check('my-reflections', 'personal: Save changes updates the reflection in the list',
        updated && /ask the child how the visit went/.test(updated.text) && !/Kezia/.test(updated.text), updated?.text);
      await shot(page, 'personal-my-reflections-updated');
      if (updated) {
        const asking = await pressFor(page, updated, 'Delete', /Delete this reflection\?/);
        check('my-reflections', 'personal: Delete asks first', asking, asking?.text);
        const gone = asking ? await pressFor(page, asking, 'Delete', /Deleted\./) : null;
        check('my-reflections', 'personal: confirming deletes it from the list',
          gone && !/ask the child how the visit went/.test(gone.text) && /see the child on their own/.test(gone.text), gone?.text);
        await shot(page, 'personal-my-reflections-deleted');
      }
    }
  }

  // The admin report (the playground's user is a configured admin), and its chart: an inline
  // PNG in a message of its own, which the playground itself cannot draw ("image/png is not
  // supported yet"), so only its arrival is checked here.
  const report = await ask(page, 'report');
  check('report', 'personal: "report" gets the reflections report', /Reflections report/.test(report?.text)
    && /By theme/.test(report?.text) && /The voice of the child: 1 from 1/.test(report?.text), report?.text ?? 'no reply');
  const chart = await nextReply(page);
  check('report', 'personal: the chart follows the report as its own message', /Reflections per week/.test(chart?.text),
    chart?.text ?? 'no chart');
  await sleep(page, 500);
  await shot(page, 'personal-report');

  // Forget me: a warning with one button, then nothing is left.
  const forget = await ask(page, 'forget me');
  check('forget-me', 'personal: "forget me" warns before deleting', /cannot be undone/.test(forget?.text), forget?.text);
  const forgotten = forget ? await pressFor(page, forget, 'Delete all my reflections', /Done: I deleted/) : null;
  check('forget-me', 'personal: pressing Delete all my reflections deletes them', forgotten, forgotten?.text);
  const none = await ask(page, 'my reflections');
  check('forget-me', 'personal: afterwards my reflections is empty', /You have no saved reflections/.test(none?.text), none?.text);
  await shot(page, 'personal-forgotten');

  // "reflect" typed in the chat: the reflection form as a card of its own, with a theme picker.
  const reflectForm = await ask(page, 'reflect');
  const formCard = reflectForm?.card;
  const themePicker = formCard ? formCard.getByRole('combobox').first() : null;
  check('reflect', 'personal: "reflect" gets the reflection form with a theme picker',
    formCard && (await formCard.locator('textarea').count()) === 1 && themePicker && (await themePicker.count()) === 1
    && /Which theme are you reflecting on\?/.test(reflectForm.text), reflectForm?.text ?? 'no reply');
  await shot(page, 'personal-reflect-form');
  if (formCard && themePicker && (await themePicker.count()) === 1) {
    await themePicker.selectOption({ label: 'Neglect' }).catch(async () => {
      await themePicker.click();
      await page.getByRole('option', { name: 'Neglect', exact: true }).click();
    });
    await formCard.locator('textarea').fill('Next time I will look at the home and the child, not only the plan.');
    const saved = await press(page, formCard, 'Save reflection');
    check('reflect', 'personal: picking a theme, writing and pressing Save reflection saves it',
      /your reflection on Neglect is saved/i.test(saved?.text), saved?.text ?? 'no reply');
    await shot(page, 'personal-reflect-saved');
  }

  // Group chat and a team channel: only an @mention is for scrbot.
  for (const [where, name] of [['group', 'Group Chat'], ['channel', 'General']]) {
    await openConversation(page, name);
    check('mention', `${where}: a message without the @mention gets no answer`, await silence(page, 'what is neglect?'));
    await answerRows(page, where, true);
    if (where === 'group') {
      // The message extension: find a theme from the compose box, send its card into the chat,
      // and press its buttons, which are answered in place for whoever presses them.
      const found = await searchThemes(page, 'disguised', 'Disguised compliance');
      check('search', 'group: searching the message extension from the compose box finds the theme', found);
      await shot(page, 'group-search');
      if (found) {
        await found.click();
        await page.getByRole('button', { name: 'Send Message', exact: true }).click();
        // The newest message in the chat; a press may redraw the card, so it is found again each time.
        const sent = page.locator(TOP_CARD).last();
        await sent.getByRole('button', { name: 'Reflective questions', exact: true }).waitFor({ timeout: REPLY_WAIT })
          .catch(() => {});
        const buttons = await sent.getByRole('button').allInnerTexts().catch(() => []);
        check('search', 'group: the card goes into the chat with its buttons, and no Reflect',
          buttons.includes('Reflective questions') && buttons.includes('Related themes') && !buttons.includes('Reflect'),
          buttons.join(', '));
        await shot(page, 'group-search-sent');
        const whole = /What it looks like/; // only the theme's full answer has this section
        const questions = await pressInPlace(page, sent, 'Reflective questions',
          (text) => /Reflective questions[\s\S]*•/.test(text) && !whole.test(text));
        check('search', 'group: Reflective questions on that card shows them in place, posting nothing',
          questions && !questions.posted, questions?.text ?? 'no change');
        await shot(page, 'group-search-questions');
        const related = questions ? await pressInPlace(page, sent, 'Related themes', (text) => /Themes related to/.test(text))
          : null;
        const first = related ? (await sent.getByRole('button').allInnerTexts())[0] : '';
        const opened = first ? await pressInPlace(page, sent, first, (text) => whole.test(text)) : null;
        check('search', 'group: Related themes, then a theme, opens that theme in the same card',
          opened && !opened.posted && opened.text.includes(first) && ended({ text: opened.text }),
          `${first}: ${opened?.text ?? related?.text ?? 'no change'}`);
        await shot(page, 'group-search-related');
      }
    }
    if (where !== 'channel') continue;
    // Discuss with Record our actions, in the team's channel.
    const pack = await ask(page, 'discuss neglect', { mention: true });
    check('discuss', 'channel: "discuss neglect" gets a discussion card with Record our actions',
      pack?.card && (await pack.card.getByRole('button', { name: 'Record our actions', exact: true }).count()) === 1,
      pack?.text ?? 'no reply');
    check('footer', 'channel: the discussion card ends with the footer', ended(pack), pack?.text.slice(-200));
    await shot(page, 'channel-discuss');
    const form = pack?.card ? await pressFor(page, pack, 'Record our actions', /Record our actions: Neglect/) : null;
    const boxes = form ? form.card.locator('textarea, input[type="text"]') : null;
    check('discuss', 'channel: Record our actions opens the actions form', boxes && (await boxes.count()) >= 3, form?.text);
    if (boxes && (await boxes.count()) >= 3) {
      const n = await boxes.count();
      for (let i = 0; i < n; i += 1) await boxes.nth(i).fill(`Playground action ${i + 1}: bring the chronology to supervision.`);
      await shot(page, 'channel-record-form');
      const posted = await pressFor(page, form, 'Save and post', new RegExp(`Playground action ${n}: bring the chronology`));
      const seen = posted ? '' : (await page.locator(TOP_CARD).allInnerTexts()).map((t) => t.slice(0, 120)).join(' || ');
      check('discuss', 'channel: Save and post shows the team\'s actions', posted, posted?.text ?? `no card showed the actions; the cards: ${seen}`);
      await shot(page, 'channel-record-posted');
    }
    // The privacy guard on the actions: a street address is found (the text kept in the card),
    // Replace them for me puts [address] there, and Save and post saves that.
    const guarded = pack?.card ? await pressFor(page, pack, 'Record our actions', /Record our actions: Neglect/) : null;
    const columns = guarded ? guarded.card.locator('textarea') : null;
    check('actions-guard', 'channel: Record our actions opens the form again', columns && (await columns.count()) >= 3,
      guarded?.text ?? 'no form');
    if (columns && (await columns.count()) >= 3) {
      await columns.nth(1).fill('The family moved to 7 Orchard Close last month.');
      await columns.nth(2).fill('Playground guard: check the new home at the next visit.');
      const found = await pressFor(page, guarded, 'Save and post', /Not saved yet/);
      const kept = found ? await found.card.locator('textarea').nth(1).inputValue().catch(() => '') : '';
      check('actions-guard', 'channel: a street address in the actions shows what was found, the text kept',
        found?.inPlace && /“7 Orchard Close” looks like a street/.test(found.text) && /Orchard Close/.test(kept)
        && (await found.card.getByRole('button', { name: 'Replace them for me', exact: true }).count()) === 1,
        `${kept} | ${found?.text ?? 'no change'}`);
      await shot(page, 'channel-actions-found');
      const replaced = found ? await pressFor(page, found, 'Replace them for me', /I replaced them/) : null;
      const redacted = replaced ? await replaced.card.locator('textarea').nth(1).inputValue().catch(() => '') : '';
      check('actions-guard', 'channel: Replace them for me puts [address] in place of the street',
        replaced?.inPlace && redacted === 'The family moved to [address] last month.', `${redacted} | ${replaced?.text}`);
      await shot(page, 'channel-actions-replaced');
      const saved = replaced ? await pressFor(page, replaced, 'Save and post', /Our agreed actions[\s\S]*\[address\]/) : null;
      check('actions-guard', 'channel: Save and post then saves the actions with [address]',
        saved && !/Orchard/.test(saved.text) && /Playground guard/.test(saved.text), saved?.text ?? 'no change');
      await shot(page, 'channel-actions-saved');
    }
    const meeting = await ask(page, 'meeting', { mention: true });
    check('meeting', 'channel: "meeting" gets a theme for the team meeting', meeting?.card && !/Sorry/.test(meeting.text),
      meeting?.text ?? 'no reply');
    await shot(page, 'channel-meeting');
    const summary = await ask(page, 'team summary', { mention: true });
    check('team-summary', 'channel: "team summary" gets this week\'s shared reflections',
      summary?.card && /this week/i.test(summary.text) && /Playground action 3/.test(summary.text), summary?.text ?? 'no reply');
    await shot(page, 'channel-team-summary');

    // The weekly prompt: scheduled here by an admin, posted now as `scrbot prompt send` does, and
    // answered with Reflect (the form inside the prompt's card) and Save reflection.
    const scheduled = await ask(page, 'schedule weekly monday 09:30 Europe/London', { mention: true });
    check('weekly-prompt', 'channel: "schedule weekly monday 09:30" sets the weekly prompt',
      /Weekly learning prompts/.test(scheduled?.text), scheduled?.text ?? 'no reply');
    await markSeen(page);
    const { argv, cwd, env } = cfg.postPrompt;
    const sent = await promisify(execFile)(argv[0], argv.slice(1), { cwd, env: { ...process.env, ...env }, timeout: 60000 })
      .then(({ stdout }) => stdout.trim(), (error) => `failed: ${error.message}`);
    const prompt = await nextReply(page);
    check('weekly-prompt', 'channel: the weekly prompt is posted as a new post with Reflect',
      /posted/.test(sent) && /This week's learning/.test(prompt?.text)
      && prompt?.card && (await prompt.card.getByRole('button', { name: 'Reflect', exact: true }).count()) === 1,
      `${sent} | ${prompt?.text ?? 'no post'}`);
    await shot(page, 'channel-weekly-prompt');
    if (prompt?.card) {
      await prompt.card.getByRole('button', { name: 'Reflect', exact: true }).click();
      const textarea = prompt.card.locator('textarea');
      await textarea.waitFor({ timeout: 5000 }).catch(() => {});
      check('weekly-prompt', 'channel: Reflect opens the reflection form in the prompt', await textarea.count() === 1);
      await textarea.fill('Next time I will draw the genogram with the family and ask who else is around.');
      await shot(page, 'channel-weekly-prompt-form');
      // The thanks is a line in the prompt's thread; wait for one more of it on the page.
      const thanks = page.getByText(/your reflection on .* is saved\./);
      const before = await thanks.count();
      await prompt.card.getByRole('button', { name: 'Save reflection', exact: true }).click();
      await thanks.nth(before).waitFor({ timeout: REPLY_WAIT }).catch(() => {});
      const said = (await thanks.count()) > before ? await thanks.nth(before).innerText() : '';
      check('weekly-prompt', 'channel: Save reflection on the prompt saves it', said, said || 'no thanks shown');
      await shot(page, 'channel-weekly-prompt-saved');
    }
  }

  check('client', 'the playground page raised no script errors', pageErrors.length === 0, pageErrors.join(' | '));
} catch (error) {
  check('client', 'the browser run finished', false, error.stack || error);
} finally {
  await browser.close();
}
console.log(JSON.stringify({ checks }));
process.exit(checks.every(([, , ok]) => ok) ? 0 : 1);
