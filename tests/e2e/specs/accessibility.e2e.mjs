// What every spec's screenshots rely on: the accessibility check fails when it should, the
// keyboard's focus can be seen, and text at twice its size still fits the window.
import { browser, $, expect } from '@wdio/globals';
import { expectAccessible, setUpSite, shot } from './helpers.mjs';

describe('accessibility of the real app', () => {
  it('sets up a site, checked by axe-core on the way', async () => {
    await setUpSite();
  });

  it('fails the check on a violation, so a clean check means something', async () => {
    await browser.execute(() => {
      const img = document.createElement('img');
      img.id = 'planted';
      img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
      document.querySelector('main, section')?.append(img);
    });
    let failure = '';
    await expectAccessible('a page with an image that has no text').catch((e) => (failure = String(e)));
    await browser.execute(() => document.getElementById('planted')?.remove());
    expect(failure).toContain('image-alt');
    await expectAccessible('the same page once the image is gone');
  });

  it('shows where the keyboard is', async () => {
    await $('#roster-search').click();
    await browser.keys('Tab');
    const outline = await browser.execute(() => {
      const style = getComputedStyle(document.activeElement);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(outline.style).not.toBe('none');
    expect(outline.width).toBeGreaterThanOrEqual(2);
  });

  it('keeps every control of the header and the roster within the window with text at 200%', async () => {
    await browser.execute(() => (document.documentElement.style.fontSize = '200%'));
    const cut = await browser.execute(() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll('header button, header a, .toolbar select, .toolbar input, .toolbar button')]
        .filter((el) => el.getBoundingClientRect().right > width + 1 || el.getBoundingClientRect().left < -1)
        .map((el) => el.textContent?.trim() || el.id);
    });
    await shot('text-at-200-percent');
    expect(cut).toEqual([]);
  });

  it('keeps a form and a person’s page within the window’s width with text at 200%', async () => {
    const overflow = () => browser.execute(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await $('button.enroll').click();
    await $('#legal_name').waitForDisplayed();
    expect(await overflow()).toBeLessThanOrEqual(1);
    await shot('enrol-form-at-200-percent');
    await $('#legal_name').setValue('TEST, Person');
    await $('#dob').setValue('3/14/1988');
    await $('#facility_id').selectByIndex(1);
    await $('#facility_number').setValue('Z-1');
    await $('#admission_date').setValue('5/2/2026');
    await $('button[type="submit"].primary').click();
    await expect($('h1')).toHaveText('TEST, Person');
    expect(await overflow()).toBeLessThanOrEqual(1);
    await shot('person-at-200-percent');
    await browser.execute(() => (document.documentElement.style.fontSize = ''));
  });
});
