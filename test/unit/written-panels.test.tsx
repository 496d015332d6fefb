/**
 * The home page's panels are written again for a person only when a part changed: kept markup
 * served in a new wrapper is the same part, anything else that differs is written afresh, and the
 * markup is exactly what writing it now would give.
 */
import { raw } from 'hono/html';
import { describe, expect, it } from 'vitest';
import type { HomePanel } from '../../src/home/index.js';
import { WrittenPanels } from '../../src/home/written-panels.js';
import { Panels } from '../../views/panel.js';

const fresh = (parts: HomePanel[]) =>
  String(Panels({ panels: parts.map((p) => ({ id: p.id, title: p.title, children: p.body })) }));

const clients = (names: string) => raw(`<ul class="panel-list"><li>${names}</li></ul>`);

describe('the panels as last written for each person', () => {
  it('keeps the markup while each part has the same text, whatever wrapper it comes in', () => {
    const written = new WrittenPanels(10);
    const first = written.for('ada', [{ id: 'recent', title: 'Recent', body: clients('Harbour Trust') }]);
    const again = written.for('ada', [{ id: 'recent', title: 'Recent', body: clients('Harbour Trust') }]);
    expect(again).toBe(first);
    expect(String(again)).toBe(fresh([{ id: 'recent', title: 'Recent', body: clients('Harbour Trust') }]));
  });

  it('writes again when a body, a title, an id or the number of panels changes', () => {
    const written = new WrittenPanels(10);
    const parts: HomePanel[] = [{ id: 'recent', title: 'Recent', body: clients('Harbour Trust') }];
    written.for('ada', parts);
    const changes: HomePanel[][] = [
      [{ id: 'recent', title: 'Recent', body: clients('Dune & Sons') }],
      [{ id: 'recent', title: 'Recently changed', body: clients('Dune & Sons') }],
      [{ id: 'latest', title: 'Recently changed', body: clients('Dune & Sons') }],
      [
        { id: 'latest', title: 'Recently changed', body: clients('Dune & Sons') },
        { id: 'invites', title: 'Invitations', body: clients('Grace Hopper') },
      ],
      [{ id: 'invites', title: 'Invitations', body: clients('Grace Hopper') }],
    ];
    for (const change of changes) expect(String(written.for('ada', change))).toBe(fresh(change));
  });

  it('tells text to be escaped from markup of the same letters', () => {
    const written = new WrittenPanels(10);
    const asMarkup = written.for('ada', [{ id: 'note', title: 'Note', body: raw('<b>due</b>') }]);
    expect(String(asMarkup)).toContain('<b>due</b>');
    const asText = written.for('ada', [{ id: 'note', title: 'Note', body: '<b>due</b>' }]);
    expect(String(asText)).toContain('&lt;b&gt;due&lt;/b&gt;');
    expect(String(asText)).not.toContain('<b>');
    // A String object that is not marked as markup is text too, however like markup it looks.
    written.for('ada', [{ id: 'note', title: 'Note', body: raw('<b>due</b>') }]);
    const boxed = written.for('ada', [
      { id: 'note', title: 'Note', body: new String('<b>due</b>') as string },
    ]);
    expect(String(boxed)).toContain('&lt;b&gt;due&lt;/b&gt;');
  });

  it('writes a JSX body afresh each time it is a new node', () => {
    const written = new WrittenPanels(10);
    const list = (name: string) => (
      <ul>
        <li>{name}</li>
      </ul>
    );
    expect(String(written.for('ada', [{ id: 'log', title: 'Log', body: list('Harbour Trust') }]))).toContain(
      '<li>Harbour Trust</li>',
    );
    expect(String(written.for('ada', [{ id: 'log', title: 'Log', body: list('Dune & Sons') }]))).toContain(
      '<li>Dune &amp; Sons</li>',
    );
  });

  it('keeps each person apart, and forgets the longest-kept past its size', () => {
    const written = new WrittenPanels(2);
    const ada = written.for('ada', [{ id: 'recent', title: 'Recent', body: clients('Harbour Trust') }]);
    const ben = written.for('ben', [{ id: 'recent', title: 'Recent', body: clients('Clearwater') }]);
    expect(String(ben)).toContain('Clearwater');
    expect(written.for('ada', [{ id: 'recent', title: 'Recent', body: clients('Harbour Trust') }])).toBe(ada);
    written.for('cy', [{ id: 'recent', title: 'Recent', body: clients('Aster') }]);
    expect(written.for('ada', [{ id: 'recent', title: 'Recent', body: clients('Harbour Trust') }])).not.toBe(
      ada,
    );
  });
});
