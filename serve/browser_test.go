package serve

import (
	"context"
	"encoding/json"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/countysim/countysim/scenarios"
)

// chromiumPath is Debian's Chromium, which CI installs with
// apt-get install -y --no-install-recommends chromium.
const chromiumPath = "/usr/bin/chromium"

// page is one browser tab on the teaching page, with the console errors and uncaught
// exceptions it has logged.
type page struct {
	t   *testing.T
	ctx context.Context

	mu     sync.Mutex
	errors []chromedp.ConsoleMessage
}

// startBrowser serves the page on 127.0.0.1 and starts headless Chromium (with opts added
// to the common flags) for the test, both closed when it ends; it skips the test when
// Chromium is not installed.
func startBrowser(t *testing.T, opts ...chromedp.ExecAllocatorOption) (*httptest.Server, context.Context) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("browser tests skipped: %s not found; install it with apt-get install -y --no-install-recommends chromium", chromiumPath)
	}
	s := New(Options{})
	ts := httptest.NewServer(s) // 127.0.0.1 only
	t.Cleanup(s.Close)
	t.Cleanup(ts.Close)
	flags := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("lang", "en-US"), chromedp.UserDataDir(t.TempDir()),
	}, opts...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), flags...)
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("starting %s: %v", chromiumPath, err)
	}
	return ts, browser
}

// screenshotDir is $COUNTYSIM_SCREENSHOTS (created if need be; kept as test artefacts), else a
// temporary directory.
func screenshotDir(t *testing.T) string {
	t.Helper()
	shots := os.Getenv("COUNTYSIM_SCREENSHOTS")
	if shots == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	return shots
}

// TestBrowser drives the page in headless Chromium: loading, running, a slider, a bad value,
// the language switch, the A/B comparison, responsiveness and a screenshot.
func TestBrowser(t *testing.T) {
	ts, browser := startBrowser(t, chromedp.WindowSize(1400, 1000))

	t.Run("loads and runs without console errors", func(t *testing.T) {
		p := openPage(t, browser, ts.URL)
		if missing := evaluate[[]string](p, `countysim.missingTranslations()`); len(missing) > 0 {
			t.Errorf("labels missing a translation: %v", missing)
		}
		if n := evaluate[int](p, `document.querySelectorAll('.lever').length`); n < 20 {
			t.Errorf("%d lever controls, want the main levers", n)
		}
		p.fastest()
		p.run()
		if v := p.chartValues("A", "approval"); v["pilot"] == nil || v["non-pilot"] == nil {
			t.Errorf("approval chart after a run: %v", v)
		}
		if cells := evaluate[int](p, `document.querySelectorAll('#panel-A .grid .cell').length`); cells != 20 {
			t.Errorf("%d county cells, want 20 (teaching)", cells)
		}
		// The hidden-debt chart, which draws no warning line, is scaled to its values, and its
		// legend writes them with enough digits to tell them apart.
		hid := p.chartValues("A", "hidden")
		axis := evaluate[[]float64](p, `JSON.parse(document.querySelector('#panel-A [data-chart=hidden]').dataset.range || '[]')`)
		red := evaluate[float64](p, `countysim.state.panels.A.run.meta.red_ratio`)
		if len(axis) != 2 || hid["province"] == nil || axis[1] >= red {
			t.Errorf("hidden debt %v drawn on an axis %v (red line %v, not drawn there)", deref(hid["province"]), axis, red)
		}
		shown := evaluate[[]string](p, `[...document.querySelectorAll('#panel-A [data-chart=hidden] .legend b')].map(b => b.textContent)`)
		for i, g := range []string{"province", "pilot", "non-pilot"} {
			if hid[g] == nil || i >= len(shown) {
				continue
			}
			if v, err := strconv.ParseFloat(shown[i], 64); err != nil || math.Abs(v-*hid[g]) > 0.1**hid[g] {
				t.Errorf("hidden debt of %s %v shown as %q", g, *hid[g], shown[i])
			}
		}
		// For a screen reader and the keyboard: a slider is named by its label (not by its
		// value), the colour-by buttons say which is on, every chart has a text alternative,
		// and a county cell takes the focus and opens with Enter.
		named := evaluate[[]string](p, `(() => { const l = document.querySelector('.lever[data-path="approval.item_cut"]');
			const ids = (l.querySelector('.slider').getAttribute('aria-labelledby') || '').split(' ');
			return [ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' '), l.querySelector('.lname').textContent]; })()`)
		if named[0] != named[1] || named[1] == "" {
			t.Errorf("the item-cut slider is named %q, want its label %q", named[0], named[1])
		}
		if pressed := evaluate[string](p, `[...document.querySelectorAll('#panel-A .colour-by button')].map(b => b.dataset.colour + '=' + b.getAttribute('aria-pressed')).join(' ')`); pressed != "step=true warn=false hidden=false" {
			t.Errorf("colour-by buttons %q, want aria-pressed on the one in use", pressed)
		}
		for _, alt := range evaluate[[]string](p, `[...document.querySelectorAll('#panel-A .chart canvas')].map(c => c.getAttribute('role') + ': ' + c.getAttribute('aria-label'))`) {
			if !strings.HasPrefix(alt, "img: ") || !strings.Contains(alt, "Pilot counties") {
				t.Errorf("a chart's text alternative %q, want role img and its values", alt)
			}
		}
		if !evaluate[bool](p, `(() => { const c = document.querySelectorAll('#panel-A .grid .cell')[3]; c.focus(); return document.activeElement === c; })()`) {
			t.Errorf("a county cell does not take the focus")
		}
		p.do(chromedp.KeyEvent(kb.Enter))
		p.poll(`!document.querySelector('#panel-A .county-detail').hidden && document.querySelector('#panel-A .county-name').textContent === document.querySelectorAll('#panel-A .grid .cell')[3].dataset.name`)
		p.noErrors()
	})

	t.Run("moving a slider changes the charts", func(t *testing.T) {
		p := openPage(t, browser, ts.URL)
		p.fastest()
		p.run()
		before := p.chartValues("A", "approval")
		canvasBefore := evaluate[string](p, `document.querySelector('#panel-A [data-chart=approval] canvas').toDataURL()`)

		slider := chromedp.CSS(`.lever[data-path="approval.item_cut"] .slider`)
		p.do(chromedp.Focus(slider), chromedp.KeyEvent(kb.End))
		if v := evaluate[string](p, `document.querySelector('.lever[data-path="approval.item_cut"] .box').value`); v != "0.9" {
			t.Fatalf("after End on the slider the box shows %q, want 0.9", v)
		}
		p.run()
		after := p.chartValues("A", "approval")
		canvasAfter := evaluate[string](p, `document.querySelector('#panel-A [data-chart=approval] canvas').toDataURL()`)
		if canvasAfter == canvasBefore {
			t.Errorf("the approval chart did not change")
		}
		// Abolishing 90% of approval items makes approvals faster everywhere.
		for _, g := range []string{"province", "pilot", "non-pilot"} {
			if before[g] == nil || after[g] == nil || *after[g] >= *before[g] {
				t.Errorf("%s approval days: %v before, %v after cutting 90%% of items", g, deref(before[g]), deref(after[g]))
			}
		}
		p.noErrors()
	})

	t.Run("a bad value shows its message", func(t *testing.T) {
		p := openPage(t, browser, ts.URL)
		box := chromedp.CSS(`.lever[data-path="devolution.economic"] .box`)
		p.do(chromedp.Clear(box), chromedp.SendKeys(box, "1.5"), chromedp.Click(chromedp.CSS("#run")))
		p.poll(`document.querySelector('#panel-A').dataset.state === 'error'`)
		msg := evaluate[string](p, `document.querySelector('.lever[data-path="devolution.economic"] .msg').textContent`)
		if !strings.Contains(msg, "1.5") || !strings.Contains(msg, "0 to 1") {
			t.Errorf("message next to the control %q, want the value and the allowed range", msg)
		}
		box2 := evaluate[string](p, `document.querySelector('#panel-A .messages').textContent`)
		if !strings.Contains(box2, "devolution.economic") || !strings.Contains(box2, "Economic powers") {
			t.Errorf("message box %q, want the field and its label", box2)
		}
		// Chinese shows the message in Chinese.
		p.do(chromedp.Click(chromedp.CSS("#lang")))
		if msg := evaluate[string](p, `document.querySelector('.lever[data-path="devolution.economic"] .msg').textContent`); !strings.Contains(msg, "取值 1.5 无效（允许：0 至 1 的数）") {
			t.Errorf("Chinese message %q", msg)
		}
		p.noErrors(true)
	})

	// A Chinese analyst's audit: a wrong type, an unknown key and a choice not offered, typed
	// into the more-settings box, were said as "the value does not fit the model's rules" with
	// no value or range, a bad value, and half English. Each now says, in Chinese, the setting,
	// the bad value and what is allowed; the English page says what it said before.
	t.Run("the audit's bad settings are explained in both languages", func(t *testing.T) {
		p := openPage(t, browser, ts.URL+"/?lang=zh")
		evaluate[bool](p, `(() => { const b = document.querySelector('#extra');
			b.value = 'debt.interest_rate=5%\npmc.enabled=是\nfoo=1\npmc.selection.method=foo';
			b.dispatchEvent(new Event('input', {bubbles: true})); return true; })()`)
		p.do(chromedp.Click(chromedp.CSS("#run")))
		p.poll(`document.querySelector('#panel-A').dataset.state === 'error'`)
		items := func() []string {
			return evaluate[[]string](p, `[...document.querySelectorAll('#panel-A .messages li')].map(li => li.textContent).sort()`)
		}
		zh := items()
		want := []string{
			`debt.interest_rate：类型错误：应为数值，这里是文本 "5%"（允许：0 至 0.3 的数）`,
			`foo：未知的键 "foo"`,
			`pmc.selection.method：取值 "foo" 无效（允许："index"、"list" 或 "random"）`,
			`实行省直管县（pmc.enabled）：类型错误：应为 true 或 false，这里是文本 "是"（允许：true 或 false）`,
		}
		if strings.Join(zh, "\n") != strings.Join(want, "\n") {
			t.Errorf("Chinese messages\n%s\nwant\n%s", strings.Join(zh, "\n"), strings.Join(want, "\n"))
		}
		if msg := evaluate[string](p, `document.querySelector('.lever[data-path="pmc.enabled"] .msg').textContent`); msg != `类型错误：应为 true 或 false，这里是文本 "是"（允许：true 或 false）` {
			t.Errorf("Chinese message beside the switch %q", msg)
		}
		p.do(chromedp.Click(chromedp.CSS("#lang")))
		en := items()
		wantEn := []string{
			`Province manages county (pmc.enabled): wrong type: expected true or false, got text "是" (allowed: true or false)`,
			`debt.interest_rate: wrong type: expected a number, got text "5%" (allowed: a number from 0 to 0.3)`,
			`foo: unknown key "foo"`,
			`pmc.selection.method: bad value "foo" (allowed: "index", "list" or "random")`,
		}
		if strings.Join(en, "\n") != strings.Join(wantEn, "\n") {
			t.Errorf("English messages\n%s\nwant\n%s", strings.Join(en, "\n"), strings.Join(wantEn, "\n"))
		}
		p.noErrors(true)
	})

	t.Run("an expired run is not a setting to fix", func(t *testing.T) {
		p := openPage(t, browser, ts.URL)
		// The page is handed a run the server no longer holds (it expired, or was dropped).
		evaluate[bool](p, `(() => { const real = window.fetch;
			window.fetch = (u, o) => /api\/run(\?|$)/.test(String(u)) ? Promise.resolve(new Response(
				JSON.stringify({id: '0123456789abcdef', stream: '/api/run/0123456789abcdef/months'}), {status: 201})) : real(u, o);
			return true; })()`)
		p.do(chromedp.Click(chromedp.CSS("#run")))
		p.poll(`document.querySelector('#panel-A').dataset.state === 'error'`)
		for _, want := range []struct{ lang, fix, say string }{{"en", "Please fix", "Press Run again"}, {"zh", "请修改", "请再按一次"}} {
			if want.lang == "zh" {
				p.do(chromedp.Click(chromedp.CSS("#lang")))
			}
			msg := evaluate[string](p, `document.querySelector('#panel-A .messages').innerText`)
			if strings.Contains(msg, want.fix) || !strings.Contains(msg, want.say) {
				t.Errorf("%s: an expired run shows %q, want no settings to fix and %q", want.lang, msg, want.say)
			}
		}
		p.noErrors(true)
	})

	t.Run("the layout fits its header, chart notes wrap", func(t *testing.T) {
		p := openPage(t, browser, ts.URL)
		for _, v := range []struct {
			w, h    int64
			compare bool
		}{{1920, 1080, false}, {800, 900, true}} {
			p.do(chromedp.EmulateViewport(v.w, v.h))
			if v.compare {
				p.do(chromedp.Click(chromedp.CSS("#compare")))
			}
			// The page itself does not scroll: the settings and the stage end at the window's
			// bottom (each scrolls inside), whatever the header's height.
			got := evaluate[[]float64](p, `(() => { const h = window.innerHeight, r = (s) => document.querySelector(s).getBoundingClientRect();
				return [document.scrollingElement.scrollHeight - h, r('#stage').bottom - h, r('#settings').bottom - h, r('#top').height]; })()`)
			if got[0] > 0.5 || got[1] > 0.5 || got[2] > 0.5 {
				t.Errorf("%dx%d: the page is %.0f px taller than the window, the stage ends %.0f px and the settings %.0f px below it (header %.0f px)", v.w, v.h, got[0], got[1], got[2], got[3])
			}
			if cut := evaluate[[]string](p, `[...document.querySelectorAll('#panel-A .chart figcaption small, #panel-A .chart figcaption b')].filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)`); len(cut) > 0 {
				t.Errorf("%dx%d: chart captions cut: %q", v.w, v.h, cut)
			}
		}
		p.noErrors()
	})

	t.Run("the language switch changes the labels and back", func(t *testing.T) {
		p := openPage(t, browser, ts.URL)
		labels := func() []string {
			return evaluate[[]string](p, `[document.documentElement.lang, document.querySelector('#run').textContent,
				document.querySelector('[data-chart=approval] figcaption b').textContent,
				document.querySelector('.lever[data-path="pmc.enabled"] .lname').textContent,
				document.querySelector('#preset option').textContent]`)
		}
		en := labels()
		if strings.Join(en, "|") != "en|Run|Efficiency: days per approval|Province manages county|Teaching province · 20 counties" {
			t.Errorf("English labels %q", en)
		}
		p.do(chromedp.Click(chromedp.CSS("#lang")))
		zh := labels()
		if strings.Join(zh, "|") != "zh|运行|效率：审批所需天数|实行省直管县|教学省 · 20 个县" {
			t.Errorf("Chinese labels %q", zh)
		}
		p.do(chromedp.Click(chromedp.CSS("#lang")))
		if back := labels(); strings.Join(back, "|") != strings.Join(en, "|") {
			t.Errorf("back to English: %q, want %q", back, en)
		}
		// The server picks Chinese for a Chinese browser (here by ?lang, as Accept-Language).
		q := openPage(t, browser, ts.URL+"/?lang=zh")
		if got := evaluate[string](q, `document.querySelector('#run').textContent`); got != "运行" {
			t.Errorf("?lang=zh: run button %q", got)
		}
		// The footer says what is real: the real provinces' counties, not their figures.
		if f := evaluate[string](p, `document.querySelector('footer').textContent`); !strings.Contains(f, "2010 census") || strings.Contains(f, "Simulated counties, not real data") {
			t.Errorf("footer %q", f)
		}
		// The language chosen is kept across a reload.
		p.do(chromedp.Click(chromedp.CSS("#lang")))
		p.do(chromedp.Reload())
		p.poll(`document.body.dataset.ready === '1'`)
		if got := evaluate[string](p, `document.documentElement.lang + ' ' + document.querySelector('#run').textContent`); got != "zh 运行" {
			t.Errorf("after choosing Chinese and reloading: %q", got)
		}
		if f := evaluate[string](p, `document.querySelector('footer').textContent`); !strings.Contains(f, "2010 年人口普查") {
			t.Errorf("Chinese footer %q", f)
		}
		// An empty months box is told, in Chinese, what it needs: the page's range.
		evaluate[bool](p, `(() => { const b = document.querySelector('.lever[data-path="months"] .box'); b.value = '';
			b.dispatchEvent(new Event('input', {bubbles: true})); return true; })()`)
		p.do(chromedp.Click(chromedp.CSS("#run")))
		p.poll(`document.querySelector('#panel-A').dataset.state === 'error'`)
		msg := evaluate[string](p, `document.querySelector('.lever[data-path="months"] .msg').textContent`)
		if !strings.Contains(msg, "空值") || !strings.Contains(msg, "1 至 360 的整数") || regexp.MustCompile(`[A-Za-z]{3,}`).MatchString(strings.ReplaceAll(msg, "countysim run", "")) {
			t.Errorf("an empty months box on the Chinese page: %q", msg)
		}
		p.noErrors(true)
		q.noErrors()
	})

	t.Run("a province run draws its first month within a second", func(t *testing.T) {
		p := openPage(t, browser, ts.URL)
		p.selectValue("#preset", "henan")
		p.do(chromedp.Click(chromedp.CSS("#run")))
		p.poll(`countysim.state.timing.firstDraw !== null`)
		ms := evaluate[float64](p, `countysim.state.timing.firstDraw`)
		t.Logf("henan (109 counties): first month drawn %.0f ms after Run", ms)
		if ms > 1000 {
			t.Errorf("first month drawn after %.0f ms, want within 1000", ms)
		}
		if cells := evaluate[int](p, `document.querySelectorAll('#panel-A .grid .cell').length`); cells != 109 {
			t.Errorf("%d county cells, want 109", cells)
		}
		// Pause, step and reset.
		p.do(chromedp.Click(chromedp.CSS("#pause")))
		m := evaluate[int](p, `countysim.shown('A')`)
		p.do(chromedp.Click(chromedp.CSS("#step")))
		p.poll(`countysim.shown('A') === ` + itoa(m+1))
		p.do(chromedp.Click(chromedp.CSS("#reset")))
		p.poll(`countysim.shown('A') === 0 && document.querySelector('#panel-A').dataset.state === 'idle'`)
		p.noErrors()
	})

	t.Run("A and B side by side, screenshot", func(t *testing.T) {
		p := openPage(t, browser, ts.URL)
		p.fastest()
		p.do(chromedp.Click(chromedp.CSS("#compare")))
		p.do(chromedp.Click(chromedp.CSS("#copyAB")))
		p.selectValue("#base", "streamline-and-approval")
		p.selectValue("#preset", "teaching")
		p.run()
		a := p.chartValues("A", "approval")
		b := p.chartValues("B", "approval")
		if a["pilot"] == nil || b["non-pilot"] == nil || b["pilot"] != nil {
			t.Errorf("A %v, B %v: want pilots in A (three-step) and none in B (no PMC)", deref(a["pilot"]), deref(b["pilot"]))
		} else if *b["province"] >= *a["province"] {
			t.Errorf("approval days: A (PMC only) %v, B (approval reform) %v; want B faster", *a["province"], *b["province"])
		}
		if csv := evaluate[string](p, `countysim.csv('B')`); !strings.HasPrefix(csv, "month,year,group,metric,value\n1,2005,province,approval_days,") {
			t.Errorf("CSV of B starts %q", csv[:min(len(csv), 80)])
		}
		// The download buttons save the page's CSV and the server's YAML, which loads as a
		// scenario file.
		evaluate[bool](p, `(() => { window.saved = []; window.blobs = [];
			const create = URL.createObjectURL;
			URL.createObjectURL = (b) => { window.blobs.push(b); return create(b); };
			HTMLAnchorElement.prototype.click = function () { window.saved.push({ name: this.download, href: this.href }); };
			return true; })()`)
		p.do(chromedp.Click(chromedp.CSS("#panel-A .dl-yaml")))
		p.poll(`window.saved.length === 1`)
		p.do(chromedp.Click(chromedp.CSS("#panel-B .dl-csv")))
		p.poll(`window.saved.length === 2`)
		names := evaluate[[]string](p, `window.saved.map(f => f.name)`)
		if strings.Join(names, " ") != "pmc-three-step-teaching.yaml streamline-and-approval-teaching-B.csv" {
			t.Errorf("downloads named %q", names)
		}
		saved, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](
			`Promise.all(window.blobs.map(b => b.text()))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenarios.Parse("downloaded.yaml", []byte(saved[0]))
		if err != nil {
			t.Errorf("the downloaded YAML does not load: %v", err)
		} else if again, _ := scenarios.Marshal(sc); string(again) != saved[0] || sc.Preset != "teaching" {
			t.Errorf("the downloaded YAML is not the full form of its scenario")
		}
		if !strings.HasPrefix(saved[1], "month,year,group,metric,value\n") || strings.Count(saved[1], "\n") != 1+240*3*11 {
			t.Errorf("the downloaded CSV has %d lines", strings.Count(saved[1], "\n"))
		}
		evaluate[bool](p, `(document.activeElement.blur(), true)`)
		p.screenshot("serve.png", true)
		p.do(chromedp.Click(chromedp.CSS("#lang")))
		p.screenshot("serve-zh.png", false)
		p.noErrors()
	})
}

func openPage(t *testing.T, browser context.Context, url string) *page {
	t.Helper()
	tab, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(cancelTimeout)
	p := &page{t: t, ctx: ctx}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				p.mu.Lock()
				p.errors = append(p.errors, m)
				p.mu.Unlock()
			}
		}
	}()
	p.do(chromedp.Navigate(url))
	p.poll(`document.body.dataset.ready === '1'`)
	return p
}

func (p *page) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.t.Fatal(err)
	}
}

func evaluate[T any](p *page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func (p *page) poll(expr string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		p.t.Fatalf("waiting for %s: %v", expr, err)
	}
}

// selectValue chooses an option as a user would, with the change event.
func (p *page) selectValue(sel, value string) {
	p.t.Helper()
	v, _ := json.Marshal(value)
	evaluate[bool](p, `(() => { const e = document.querySelector('`+sel+`'); e.value = `+string(v)+`;
		e.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`)
}

// fastest sets the animation to its fastest speed, so a run is drawn as soon as it arrives.
func (p *page) fastest() { p.selectValue("#speed", "max") }

// TestBrowserClassroom checks the page as a teacher uses it, in English and Chinese, on a
// projector (1280x720) and a phone (390x844): the lesson panel and the model description it
// links to, chart and label sizes, Run and playback on screen while the levers scroll, the
// hidden-debt chart, and an error message wholly in the page's language. Screenshots go to
// $COUNTYSIM_SCREENSHOTS when set (kept as test artefacts), else to a temporary directory.
func TestBrowserClassroom(t *testing.T) {
	ts, browser := startBrowser(t)
	shots := screenshotDir(t)
	latin := regexp.MustCompile(`[A-Za-z]{3,}`)
	path := regexp.MustCompile(`\(?[a-z_]+(\.[a-z_0-9\[\]]+)+\)?`)
	for _, size := range []struct {
		name string
		w, h int64
	}{{"projector", 1280, 720}, {"phone", 390, 844}} {
		for _, lang := range []string{"en", "zh"} {
			t.Run(size.name+"-"+lang, func(t *testing.T) {
				p := openPage(t, browser, ts.URL+"/?lang="+lang)
				p.do(chromedp.EmulateViewport(size.w, size.h))
				p.fastest()
				// The lesson panel, in the page's language, and the model description.
				p.do(chromedp.Click(chromedp.CSS("#lesson > summary")))
				lesson := evaluate[string](p, `document.querySelector('#lesson').innerText`)
				hasHan := strings.ContainsFunc(lesson, func(r rune) bool { return unicode.Is(unicode.Han, r) })
				if len(lesson) < 200 || (lang == "zh" && (!hasHan || latin.MatchString(lesson))) || (lang == "en" && !strings.Contains(lesson, "What to try")) {
					t.Errorf("lesson panel in %s: %q", lang, lesson)
				}
				href := evaluate[string](p, `document.querySelector('#modelLink').href`)
				if !strings.Contains(href, "model.html?lang="+lang) {
					t.Errorf("model link %q", href)
				}
				p.run()
				// Hidden debt is charted beside explicit debt.
				if v := p.chartValues("A", "hidden"); v["province"] == nil {
					t.Errorf("hidden debt chart after a run: %v", v)
				}
				if size.w >= 1280 {
					h := evaluate[float64](p, `Math.min(...[...document.querySelectorAll('#panel-A .chart canvas')].map(c => c.getBoundingClientRect().height))`)
					if h < 240 {
						t.Errorf("charts %.0f px high at %dx%d, want at least 240", h, size.w, size.h)
					}
				}
				small := evaluate[float64](p, `Math.min(...[...document.querySelectorAll('#panel-A figcaption b, #panel-A figcaption small, #panel-A .legend, #lesson li')].map(e => parseFloat(getComputedStyle(e).fontSize)))`)
				if small < 13 {
					t.Errorf("smallest chart or lesson label %.0f px, want at least 13", small)
				}
				// Click a county: its own series and its path through the reform.
				evaluate[bool](p, `(document.querySelector('#panel-A .grid .cell.pilot').click(), true)`)
				p.poll(`!document.querySelector('#panel-A .county-detail').hidden && !!document.querySelector('#panel-A .county-detail').dataset.values`)
				cv := evaluate[map[string]*float64](p, `JSON.parse(document.querySelector('#panel-A .county-detail').dataset.values)`)
				if cv["approval_days"] == nil || cv["self_sufficiency"] == nil || cv["growth"] == nil {
					t.Errorf("clicked county's series: %v", cv)
				}
				steps := evaluate[string](p, `document.querySelector('#panel-A .county-path').dataset.steps`)
				wantStep := map[string]string{"en": "Step 3", "zh": "第三步"}[lang]
				if !strings.Contains(steps, wantStep) {
					t.Errorf("a pilot county's path %q does not reach %q", steps, wantStep)
				}
				evaluate[bool](p, `(document.querySelector('#panel-A .county-detail').scrollIntoView({block: 'center'}), true)`)
				p.screenshot(filepath.Join(shots, "classroom-"+size.name+"-"+lang+"-county.png"), false)
				evaluate[bool](p, `(window.scrollTo(0, 0), document.querySelector('#stage').scrollTop = 0, true)`)
				// The five-aims scorecard against no reform, in the page's language.
				evaluate[bool](p, `(document.querySelector('#panel-A .score-run').click(), true)`)
				p.poll(`!document.querySelector('#panel-A .score-table').hidden`)
				score := evaluate[[]string](p, `[...document.querySelectorAll('#panel-A .score-table tr')].map(r => r.innerText)`)
				aims := map[string]string{"en": "Sound decisions", "zh": "决策科学"}[lang]
				if len(score) != 6 || !strings.Contains(score[1], aims) {
					t.Errorf("scorecard rows %q", score)
				}
				if lang == "zh" {
					for _, row := range score {
						if latin.MatchString(row) {
							t.Errorf("Chinese scorecard row with English: %q", row)
						}
					}
				}
				p.screenshot(filepath.Join(shots, "classroom-"+size.name+"-"+lang+".png"), false)
				if size.w >= 1280 {
					// The scorecard belongs to the settings it scored: another scenario, a Run and
					// the language switch leave it out of date (no table, not re-scored); the
					// scored settings again bring it back.
					stale := map[string]string{"en": "press “Score against no reform” again", "zh": "请再按一次"}
					other := map[string]string{"en": "zh", "zh": "en"}[lang]
					outOfDate := func(l, when string) {
						t.Helper()
						state := evaluate[string](p, `document.querySelector('#panel-A .score-state').textContent`)
						if !evaluate[bool](p, `document.querySelector('#panel-A .score-table').hidden`) || !strings.Contains(state, stale[l]) {
							t.Errorf("scorecard %s: %q, want no table and %q", when, state, stale[l])
						}
					}
					p.selectValue("#base", "baseline")
					outOfDate(lang, "after choosing another scenario")
					p.run()
					outOfDate(lang, "after running it")
					p.do(chromedp.Click(chromedp.CSS("#lang")))
					outOfDate(other, "after switching language")
					p.do(chromedp.Click(chromedp.CSS("#lang")))
					p.selectValue("#base", "pmc-three-step")
					p.poll(`!document.querySelector('#panel-A .score-table').hidden`)
				}
				// Scroll the levers: Run, the playback controls and the month slider stay on screen.
				evaluate[bool](p, `(window.scrollTo(0, document.body.scrollHeight), document.querySelector('#settings').scrollTop = 1e6, true)`)
				for _, sel := range []string{"#run", "#pause", "#step", "#scrub"} {
					in := evaluate[bool](p, `(() => { const r = document.querySelector('`+sel+`').getBoundingClientRect();
						return r.width > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth; })()`)
					if !in {
						t.Errorf("%s is off screen after scrolling the levers at %dx%d", sel, size.w, size.h)
					}
				}
				p.screenshot(filepath.Join(shots, "classroom-"+size.name+"-"+lang+"-scrolled.png"), false)
				// A cohort of 95% makes the cohorts' shares add up to more than 1: the
				// message is wholly in the page's language.
				// Every cohort is visible and editable: add one, remove the first, run.
				if n := evaluate[int](p, `document.querySelectorAll('.lever[data-path="pmc.cohorts"] tr[data-cohort]').length`); n != 2 {
					t.Errorf("cohort editor shows %d cohorts, want the scenario's 2", n)
				}
				p.do(chromedp.Click(chromedp.CSS(`.lever[data-path="pmc.cohorts"] .co-add`)))
				p.do(chromedp.Click(chromedp.CSS(`.lever[data-path="pmc.cohorts"] tr[data-cohort="0"] .co-remove`)))
				p.run()
				if got := evaluate[[]string](p, `countysim.state.panels.A.run.meta.cohorts.map(c => c.name + ':' + c.step1)`); len(got) != 2 || got[0] != "cohort2:48" || got[1] != "cohort2:72" && !strings.HasSuffix(got[1], ":72") {
					t.Errorf("cohorts run after adding one and removing the first: %q", got)
				}
				setShare := `(() => { const b = document.querySelector('.lever[data-path="pmc.cohorts"] tr[data-cohort="0"] .co-share'); b.value = '0.95';
					b.dispatchEvent(new Event('input', {bubbles: true})); return true; })()`
				evaluate[bool](p, setShare)
				p.do(chromedp.Click(chromedp.CSS("#run")))
				p.poll(`document.querySelector('#panel-A').dataset.state === 'error'`)
				msg := evaluate[string](p, `document.querySelector('#panel-A .messages').innerText`)
				words := path.ReplaceAllString(msg, "")
				if lang == "zh" && latin.MatchString(words) {
					t.Errorf("Chinese page shows English in the message %q", msg)
				}
				if lang == "en" && !strings.Contains(msg, "at most 1") {
					t.Errorf("English message %q, want the rule", msg)
				}
				p.noErrors(true)
				// A and B overlaid on the same axes: A solid, B dashed, B's values in A's legend.
				r := openPage(t, browser, ts.URL+"/?lang="+lang)
				r.do(chromedp.EmulateViewport(size.w, size.h))
				r.fastest()
				evaluate[bool](r, `(document.querySelector('#compare').click(), true)`)
				evaluate[bool](r, `(document.querySelector('#overlay').click(), true)`)
				r.run()
				over := evaluate[map[string]*float64](r, `JSON.parse(document.querySelector('#panel-A [data-chart=approval]').dataset.overlay || '{}')`)
				if over["province"] == nil {
					t.Errorf("overlay: B's values on A's chart %v", over)
				}
				if vis := evaluate[bool](r, `document.querySelector('#panel-B [data-chart=approval]').getBoundingClientRect().height > 0`); vis {
					t.Error("overlay: B's own charts are still shown")
				}
				if key := evaluate[string](r, `document.querySelector('#panel-A [data-chart=approval] .overlay-key').textContent`); !strings.Contains(key, map[string]string{"en": "dashed", "zh": "虚线"}[lang]) {
					t.Errorf("overlay legend %q", key)
				}
				r.screenshot(filepath.Join(shots, "classroom-"+size.name+"-"+lang+"-overlay.png"), false)
				r.noErrors()
				// The model description renders from the embedded copy.
				q := openPage(t, browser, href)
				if h1 := evaluate[string](q, `(document.querySelector('#doc h1') || {}).textContent || ''`); h1 == "" {
					t.Errorf("model.html shows no heading: %q", evaluate[string](q, `document.querySelector('#doc').textContent.slice(0, 200)`))
				}
				// Its links within the document (#47-stochasticity) reach their headings.
				links := evaluate[[]string](q, `[...document.querySelectorAll('#doc a[href^="#"]')].map(a => a.getAttribute('href'))`)
				broken := evaluate[[]string](q, `[...document.querySelectorAll('#doc a[href^="#"]')].map(a => a.getAttribute('href')).filter(h => !document.getElementById(decodeURIComponent(h.slice(1))))`)
				if len(links) < 8 || len(broken) > 0 {
					t.Errorf("model.html: %d links within the document, these go nowhere: %q", len(links), broken)
				}
				q.noErrors()
			})
		}
	}
}

// run presses Run and waits until every panel shown has drawn its last month.
func (p *page) run() {
	p.t.Helper()
	prev := evaluate[string](p, `JSON.stringify(Object.values(countysim.state.panels).map(q => q.run && q.run.meta ? q.run.meta.run : ''))`)
	p.do(chromedp.Click(chromedp.CSS("#run")))
	p.poll(`(() => {
		const ps = countysim.state.compare ? ['A', 'B'] : ['A'];
		const ids = JSON.stringify(Object.values(countysim.state.panels).map(q => q.run && q.run.meta ? q.run.meta.run : ''));
		return ids !== ` + jsString(prev) + ` && ps.every(n => document.querySelector('#panel-' + n).dataset.state === 'done');
	})()`)
}

func (p *page) chartValues(panel, chart string) map[string]*float64 {
	p.t.Helper()
	return evaluate[map[string]*float64](p, `countysim.chartValues('`+panel+`', '`+chart+`')`)
}

// screenshot saves the viewport as PNG in the test's temporary directory, or at
// $COUNTYSIM_SCREENSHOT when that is set and env is true.
func (p *page) screenshot(name string, env bool) {
	p.t.Helper()
	buf, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatal(err)
	}
	path := name
	if !filepath.IsAbs(name) {
		path = filepath.Join(p.t.TempDir(), name)
	}
	if e := os.Getenv("COUNTYSIM_SCREENSHOT"); e != "" && env {
		path = e
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot %s (%d KB)", path, len(buf)>>10)
}

// noErrors fails the test for every console error and uncaught exception, except the
// browser's own note of a 400 or 404 answer from /api/ when the test asked for one on purpose.
func (p *page) noErrors(expect400 ...bool) {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.errors {
		if len(expect400) > 0 && expect400[0] && m.Source == "network" && (strings.Contains(m.Text, "status of 400") || strings.Contains(m.Text, "status of 404")) && strings.Contains(m.URL, "/api/") {
			continue
		}
		// A busy answer to a run is handled: the page waits and asks again (startPanel), and
		// the subtests check that the run then ran. It comes when a run of an earlier page of
		// the same browser still holds a slot (slow under the race detector).
		if m.Source == "network" && strings.Contains(m.Text, "status of 429") && strings.Contains(m.URL, "/api/run") {
			continue
		}
		p.t.Errorf("console %s: %s (%s)", m.Type, m, m.URL)
	}
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestBrowserMap checks the schematic map of a real world on the page, in English and Chinese
// at 1280x720: prefecture outlines and one marker per county instead of the grid, labelled
// schematic, coloured by PMC step or debt warning month by month, a marker opening its
// county; a synthetic world keeps the grid. Screenshots go to $COUNTYSIM_SCREENSHOTS when set.
func TestBrowserMap(t *testing.T) {
	ts, browser := startBrowser(t)
	shots := screenshotDir(t)
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			p := openPage(t, browser, ts.URL+"/?lang="+lang)
			p.do(chromedp.EmulateViewport(1280, 720))
			p.fastest()
			p.selectValue("#base", "henan-2014")
			p.selectValue("#preset", "henan")
			// The pilots are listed by name: a cohort added without counties is refused, the
			// message naming the field and its value in the page's language.
			cohorts := `.lever[data-path="pmc.cohorts"]`
			p.do(chromedp.Click(chromedp.CSS(cohorts + ` .co-add`)))
			p.do(chromedp.Click(chromedp.CSS("#run")))
			p.poll(`document.querySelector('#panel-A').dataset.state === 'error'`)
			msg := evaluate[string](p, `document.querySelector('`+cohorts+` .msg').textContent`)
			wantMsg := map[string]string{"en": "Cohort 2: Counties: bad value [] (allowed: at least one county", "zh": "第 2 批：试点县名单"}[lang]
			if !strings.Contains(msg, "[]") || !strings.Contains(msg, wantMsg) || lang == "zh" && regexp.MustCompile(`[A-Za-z]{3,}`).MatchString(regexp.MustCompile(`"[^"]*"|[a-z_]+(\.[a-z_0-9]+|\[\d+\])+`).ReplaceAllString(msg, "")) {
				t.Errorf("a cohort without counties: message %q, want the value [] and %q", msg, wantMsg)
			}
			// Editing the listed cohort keeps its counties.
			p.do(chromedp.Click(chromedp.CSS(cohorts + ` tr[data-cohort="1"] .co-remove`)))
			evaluate[bool](p, `(() => { const b = document.querySelector('`+cohorts+` tr[data-cohort="0"] .co-step2'); b.value = '100';
				b.dispatchEvent(new Event('input', {bubbles: true})); return true; })()`)
			p.run()
			if got := evaluate[string](p, `countysim.state.panels.A.run.meta.cohorts.map(c => c.name + ':' + c.step2).join(',')`); got != "henan-ten:100" {
				t.Errorf("the edited cohorts run as %q, want henan-ten:100", got)
			}
			geo := `#panel-A .grid svg.geo-map`
			if n := evaluate[int](p, `document.querySelectorAll('`+geo+` circle.cell').length`); n != 109 {
				t.Fatalf("%d county markers on the map, want Henan's 109", n)
			}
			if n := evaluate[int](p, `document.querySelectorAll('`+geo+` polygon.geo-pref').length`); n < 18 {
				t.Errorf("%d prefecture outlines, want at least Henan's 18 prefectures", n)
			}
			if n := evaluate[int](p, `document.querySelectorAll('#panel-A .grid .pref').length`); n != 0 {
				t.Errorf("a real world still shows %d grid boxes beside the map", n)
			}
			box := evaluate[[]float64](p, `(() => { const r = document.querySelector('`+geo+`').getBoundingClientRect(); return [r.width, r.height]; })()`)
			if box[0] < 200 || box[1] < 150 {
				t.Errorf("map %v px, want a readable size at 1280x720", box)
			}
			want := map[string][2]string{"en": {"Schematic map", "not an authoritative boundary"}, "zh": {"示意地图", "不代表权威边界"}}[lang]
			title := evaluate[string](p, `document.querySelector('#panel-A .map figcaption b').textContent`)
			note := evaluate[string](p, `(() => { const n = document.querySelector('#panel-A .geo-note'); return n.hidden ? '' : n.textContent; })()`)
			if !strings.Contains(title, want[0]) || !strings.Contains(note, want[1]) {
				t.Errorf("map title %q and note %q, want them to say schematic (%q, %q)", title, note, want[0], want[1])
			}
			// Coloured by PMC step, month by month: the pilots reach step 3 by the end, and in
			// the first month no county has.
			colours := `[...document.querySelectorAll('` + geo + ` circle.cell')].map(c => c.dataset.c).join(',')`
			end := evaluate[string](p, colours)
			if !strings.Contains(end, "step3") || strings.Contains(end, "none") {
				t.Errorf("map colours at the end: %s", end)
			}
			evaluate[bool](p, `(countysim.state.playing = false, countysim.state.clock = 1, countysim.state.dirty = true, true)`)
			p.poll(`countysim.shown('A') === 1`)
			if first := evaluate[string](p, colours); strings.Contains(first, "step3") || first == end {
				t.Errorf("map colours in month 1 (%.60s...) do not differ from the end", first)
			}
			evaluate[bool](p, `(countysim.state.clock = countysim.state.panels.A.run.recs.length, countysim.state.dirty = true, true)`)
			p.poll(`countysim.shown('A') === countysim.state.panels.A.run.recs.length`)
			// By debt warning.
			evaluate[bool](p, `(document.querySelector('#panel-A [data-colour=warn]').click(), true)`)
			p.poll(`[...document.querySelectorAll('` + geo + ` circle.cell')].every(c => c.dataset.c.startsWith('warn'))`)
			tip := evaluate[string](p, `document.querySelector('`+geo+` circle.cell title').textContent`)
			if tip == "" || !strings.Contains(tip, ":") {
				t.Errorf("a marker's hover text %q, want its name and colour", tip)
			}
			// By hidden debt, which the debt warning (explicit debt only) does not see: against
			// the warning's lines, over the county's annual revenue.
			evaluate[bool](p, `(document.querySelector('#panel-A [data-colour=hidden]').click(), true)`)
			p.poll(`[...document.querySelectorAll('` + geo + ` circle.cell')].every(c => c.dataset.c.startsWith('hid'))`)
			hid := evaluate[string](p, colours)
			legend := evaluate[string](p, `document.querySelector('#panel-A .map-legend').textContent`)
			wantKey := map[string]string{"en": "Hidden debt below the yellow line", "zh": "隐性债务率低于黄色预警线"}[lang]
			if !strings.Contains(hid, "hid1") && !strings.Contains(hid, "hid2") && !strings.Contains(hid, "hid3") || !strings.Contains(legend, wantKey) {
				t.Errorf("hidden debt colours %.80s..., legend %q", hid, legend)
			}
			evaluate[bool](p, `(document.querySelector('#panel-A .map').scrollIntoView({block: 'start'}), true)`)
			p.screenshot(filepath.Join(shots, "map-projector-"+lang+".png"), false)
			// A marker opens its county.
			evaluate[bool](p, `(document.querySelector('`+geo+` circle.cell.pilot').dispatchEvent(new MouseEvent('click', {bubbles: true})), true)`)
			p.poll(`!document.querySelector('#panel-A .county-detail').hidden`)
			if !evaluate[bool](p, `document.querySelector('`+geo+` circle.cell.pilot').classList.contains('chosen')`) {
				t.Error("the clicked marker is not marked as chosen")
			}
			// And from the keyboard: a marker takes the focus and opens with Space.
			if !evaluate[bool](p, `(() => { const c = document.querySelector('`+geo+` circle.cell:not(.pilot)'); c.focus(); return document.activeElement === c; })()`) {
				t.Error("a map marker does not take the focus")
			}
			p.do(chromedp.KeyEvent(" "))
			p.poll(`document.querySelector('#panel-A .county-name').textContent === document.querySelector('` + geo + ` circle.cell:not(.pilot)').dataset.name`)
			p.noErrors(true)
			// A synthetic world keeps its grid, without the schematic note.
			p.selectValue("#base", "pmc-three-step")
			p.selectValue("#preset", "teaching")
			p.run()
			if n := evaluate[int](p, `document.querySelectorAll('#panel-A .grid svg').length + document.querySelectorAll('#panel-A .grid .pref').length * 1000`); n < 1000 || n%1000 != 0 {
				t.Errorf("teaching world: grid boxes and maps %d, want boxes and no map", n)
			}
			if !evaluate[bool](p, `document.querySelector('#panel-A .geo-note').hidden`) {
				t.Error("a synthetic world shows the schematic note")
			}
			p.noErrors(true)
		})
	}
}
