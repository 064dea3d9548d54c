/** The page's matrix (configurations × symptoms, median [interval]) and findings. Escaped. */

import type { Answer, Finding } from '../analysis/findings.ts';
import { type MatrixRow, SYMPTOMS } from '../analysis/matrix.ts';
import { formatEstimate, rowName } from '../analysis/matrix-format.ts';
import { escapeHtml as h } from './escape.ts';

export function matrixTable(rows: MatrixRow[]): string {
  const head = rows
    .map((r) => {
      const busy = r.runs.filter((x) => x.hostBusy).length;
      const flag = busy > 0 ? ` <span class="fail">host busy before ${busy} run(s)</span>` : '';
      return `<th>${h(rowName(r))}<div class="note">${r.runs.length} run${r.runs.length === 1 ? '' : 's'}</div>${flag}</th>`;
    })
    .join('');
  const body = SYMPTOMS.map(
    (d) =>
      `<tr><th>${h(d.label)}</th>${rows
        .map(
          (r) =>
            `<td class="num" data-symptom="${h(d.key)}">${h(formatEstimate(r.figures[d.key]!, d.unit))}</td>`,
        )
        .join('')}</tr>`,
  );
  body.push(
    `<tr><th>backlog alert never fired</th>${rows.map((r) => `<td class="num">${r.detectNever} of ${r.runs.length}</td>`).join('')}</tr>`,
  );
  return `<table class="matrix"><thead><tr><th>symptom</th>${head}</tr></thead><tbody>${body.join('\n')}</tbody></table>`;
}

/** The answer, first on the page: each change the article made, then whether the swap was needed. */
export function answerBlock(answer: Answer): string {
  // The lines say the swap's answer with its reason; the heading carries it at a glance.
  return `<section class="answer" id="answer"><h2>Answer <span class="swap ${h(answer.swapNeeded)}">swap needed: <b>${h(answer.swapNeeded)}</b></span></h2>
${answer.lines.map((l) => `<p>${h(l)}</p>`).join('\n')}
<p class="note">How sure: every finding below names its test, its level after the correction and its runs (docs/method.md).</p></section>`;
}

/** What the findings rest on, then one finding per line, by configuration. */
export function findingsList(findings: Finding[], notes: string[]): string {
  const items = findings.map(
    (f) =>
      `<li class="finding ${h(f.kind)} ${h(f.outcome)}" data-symptom="${h(f.symptom)}">${h(f.text)}</li>`,
  );
  return `${notes.map((n) => `<p class="note">${h(n)}</p>`).join('')}
<ul class="findings">${items.join('\n')}</ul>`;
}
