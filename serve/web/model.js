// countysim model description: fetches model.md (an embedded copy of docs/MODEL.md) and
// renders its Markdown (headings, paragraphs, lists, tables, code, emphasis, links) as HTML.
'use strict';

(() => {
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

  function inline(s) {
    const codes = [];
    s = s.replace(/`([^`]+)`/g, (_, c) => { codes.push(c); return '\u0000' + (codes.length - 1) + '\u0000'; });
    s = esc(s)
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
      .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, text, href) => {
        const safe = /^(https?:|#|[\w./-]+$)/.test(href) ? href : '#';
        return '<a href="' + safe.replace(/"/g, '&quot;') + '">' + text + '</a>';
      });
    return s.replace(/\u0000(\d+)\u0000/g, (_, i) => '<code>' + esc(codes[+i]) + '</code>');
  }

  // slugger returns the id of each heading in turn by GitHub's rule, which the document's own
  // links (#47-stochasticity) follow: the heading's text in lower case, without punctuation but
  // hyphens, spaces made hyphens; a repeated one gets -1, -2, ...
  function slugger() {
    const seen = {};
    return (html) => {
      const text = html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
      let s = text.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
      if (s in seen) s += '-' + ++seen[s];
      else seen[s] = 0;
      return s;
    };
  }

  function render(md) {
    const lines = md.replace(/\r/g, '').split('\n');
    const out = [];
    const slug = slugger();
    let i = 0;
    const cells = (l) => l.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
    while (i < lines.length) {
      const l = lines[i];
      if (/^```/.test(l)) {
        const body = [];
        for (i++; i < lines.length && !/^```/.test(lines[i]); i++) body.push(lines[i]);
        i++;
        out.push('<pre><code>' + esc(body.join('\n')) + '</code></pre>');
      } else if (/^#{1,6} /.test(l)) {
        const n = l.indexOf(' ');
        const html = inline(l.slice(n + 1));
        out.push('<h' + n + ' id="' + slug(html).replace(/"/g, '&quot;') + '">' + html + '</h' + n + '>');
        i++;
      } else if (/^\s*\|/.test(l) && i + 1 < lines.length && /^\s*\|?\s*:?-+/.test(lines[i + 1])) {
        const head = cells(l);
        const rows = [];
        for (i += 2; i < lines.length && /^\s*\|/.test(lines[i]); i++) rows.push(cells(lines[i]));
        out.push('<table><tr>' + head.map((c) => '<th>' + inline(c) + '</th>').join('') + '</tr>' +
          rows.map((r) => '<tr>' + r.map((c) => '<td>' + inline(c) + '</td>').join('') + '</tr>').join('') + '</table>');
      } else if (/^\s*([-*]|\d+\.) /.test(l)) {
        const ordered = /^\s*\d+\./.test(l);
        const items = [];
        while (i < lines.length && (/^\s*([-*]|\d+\.) /.test(lines[i]) || (/^\s{2,}\S/.test(lines[i]) && items.length))) {
          if (/^\s*([-*]|\d+\.) /.test(lines[i])) items.push(lines[i].replace(/^\s*([-*]|\d+\.) /, ''));
          else items[items.length - 1] += ' ' + lines[i].trim();
          i++;
        }
        const tag = ordered ? 'ol' : 'ul';
        out.push('<' + tag + '>' + items.map((it) => '<li>' + inline(it) + '</li>').join('') + '</' + tag + '>');
      } else if (l.trim() === '') {
        i++;
      } else {
        const para = [];
        while (i < lines.length && lines[i].trim() !== '' && !/^(#{1,6} |```|\s*\||\s*([-*]|\d+\.) )/.test(lines[i])) para.push(lines[i++]);
        if (!para.length) para.push(lines[i++]);
        out.push('<p>' + inline(para.join(' ')) + '</p>');
      }
    }
    return out.join('\n');
  }

  const zh = /^zh/.test(new URLSearchParams(location.search).get('lang') || navigator.language || '');
  document.documentElement.lang = zh ? 'zh' : 'en';
  document.getElementById('docTitle').textContent = zh ? '模型说明（英文）' : 'Model description';
  document.getElementById('back').href = './?lang=' + (zh ? 'zh' : 'en');
  fetch('model.md')
    .then((r) => { if (!r.ok) throw new Error(r.status); return r.text(); })
    .then((md) => {
      const doc = document.getElementById('doc');
      doc.innerHTML = (zh ? '<p class="hint">模型说明目前只有英文版；页面上的课堂指引有中文。</p>' : '') + render(md);
      document.title = 'countysim: ' + (doc.querySelector('h1') ? doc.querySelector('h1').textContent : 'model');
      // The document arrived after the browser looked for the address's #heading: go there now.
      const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target) target.scrollIntoView();
      document.body.dataset.ready = '1';
    })
    .catch((e) => {
      document.getElementById('doc').textContent = (zh ? '无法载入模型说明：' : 'Cannot load the model description: ') + e.message;
      document.body.dataset.ready = '1';
    });
})();
