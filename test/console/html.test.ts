import { fragment, html, trusted } from '../../console/html';

describe('the html template', () => {
  test('text is escaped wherever it is interpolated, markup from a template is kept', () => {
    const name = '<script>alert("x")</script> & \'quoted\'';
    const out = fragment(html`<p title="${name}">${name}${html`<b>ok</b>`}</p>`);
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;<b>ok</b></p>',
    );
    expect(out).not.toContain('<script>');
  });

  test('lists are joined, empty values leave nothing, and only trusted() passes raw text', () => {
    const items = ['a<', 'b'].map((x) => html`<li>${x}</li>`);
    expect(fragment(html`<ul>${items}</ul>${undefined}${null}${false}`)).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
    expect(fragment(html`${0}`)).toBe('0');
    expect(fragment(html`${trusted('<hr>')}`)).toBe('<hr>');
    // An object that merely looks like markup is still text.
    expect(fragment(html`${{ toString: () => '<i>' } as unknown as string}`)).toBe('&lt;i&gt;');
  });
});
