import { chromium } from 'playwright-core';
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => console.log('console', m.type(), m.text()));
  await page.goto('file://' + process.argv[2]);
  const h = await page.evaluate(() => document.documentElement.scrollHeight);
  console.log('height', h);
  for (let y = 0, i = 0; y < h; y += 1300, i++) await page.screenshot({ path: `${process.argv[3]}${i}.png`, fullPage: true, clip: { x: 0, y, width: 1280, height: Math.min(1300, h - y) } });
  await browser.close();
})();
