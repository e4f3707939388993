/// <reference lib="dom" />
// playground/ui/dom — a few lines of DOM building (no framework: the page is offline and small).
// Styles go through classes, never style="" attributes: the page's CSP refuses inline styles.

type Child = Node | string;

/** `<tag attr=…>children</tag>`; attributes are set with setAttribute (text, never markup). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Readonly<Record<string, string>> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

/** A labelled <select> of numbers from..to. */
export function numberSelect(label: string, id: string, from: number, to: number, value: number): { wrap: HTMLLabelElement; select: HTMLSelectElement } {
  const select = h('select', { id });
  for (let n = from; n <= to; n++) select.append(h('option', { value: String(n) }, String(n)));
  select.value = String(value);
  return { wrap: h('label', { for: id }, `${label} `, select), select };
}

/** A labelled text input. */
export function textInput(label: string, id: string, value: string, size = 6): { wrap: HTMLLabelElement; input: HTMLInputElement } {
  const input = h('input', { id, type: 'text', value, size: String(size) });
  return { wrap: h('label', { for: id }, `${label} `, input), input };
}

export function button(text: string, id: string, onClick: () => void): HTMLButtonElement {
  const b = h('button', { id, type: 'button' }, text);
  b.addEventListener('click', onClick);
  return b;
}
