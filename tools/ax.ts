import type { CDPSession, Page } from 'playwright-core';

/**
 * Finding and using things on a page through Chromium's accessibility tree, as a person with a
 * screen reader does, over the DevTools protocol. Playwright's CSS and role locators pierce only
 * open shadow roots; Storyline's badges live in closed ones (a page must not read them), and the
 * accessibility tree is the one view that sees through, for a person and for these tests alike.
 *
 * Clicks go to the centre of the element's box with the real mouse (trusted events), after a check
 * that nothing covers that point; keys go to the element after `DOM.focus`.
 */

/**
 * A Storyline badge's accessible name in English: its visible text ("3 related") then ": related
 * stories", and how many of them are the same story when any are (src/ui/badge/label.ts badgeName).
 */
export const BADGE_NAME = /^\d+ related: related stories(, \d+ of them (a report|reports) of the same story)?$/;

/** One node of the tree, as a screen reader gets it. */
export interface AxNode {
  id: string;
  role: string;
  name: string;
  backendNodeId?: number;
  parentId?: string;
  childIds: string[];
  ignored: boolean;
  focused: boolean;
  expanded?: boolean;
  level?: number;
}

/** What to look for: a role ("button", "heading", "dialog", "link"...) and an accessible name. */
export interface AxQuery {
  role?: string;
  /** A string matches case-insensitively anywhere in the name (as Playwright's getByRole); a RegExp tests it. */
  name?: string | RegExp;
  exact?: boolean;
  /** A heading's level. */
  level?: number;
}

interface RawValue {
  type: string;
  value?: unknown;
}
interface RawNode {
  nodeId: string;
  ignored: boolean;
  role?: RawValue;
  name?: RawValue;
  properties?: { name: string; value: RawValue }[];
  parentId?: string;
  childIds?: string[];
  backendDOMNodeId?: number;
}

/** A snapshot of the page's accessibility tree. */
export class AxSnapshot {
  readonly byId = new Map<string, AxNode>();

  constructor(nodes: AxNode[]) {
    for (const node of nodes) this.byId.set(node.id, node);
  }

  /** Whether `node` lies under `ancestor` (not the node itself). */
  isInside(node: AxNode, ancestor: AxNode): boolean {
    for (let up = node.parentId ? this.byId.get(node.parentId) : undefined; up; up = up.parentId ? this.byId.get(up.parentId) : undefined) {
      if (up.id === ancestor.id) return true;
    }
    return false;
  }

  /**
   * Nodes matching the last query, each inside a node matching the one before it, and so on:
   * `find({ role: 'heading', name: /drone/ }, { role: 'button' })` is the button in that heading.
   */
  find(...chain: AxQuery[]): AxNode[] {
    const all = [...this.byId.values()].filter((node) => !node.ignored);
    let found: AxNode[] = [];
    chain.forEach((query, i) => {
      const within = found;
      found = all.filter((node) => matches(node, query) && (i === 0 || within.some((w) => this.isInside(node, w))));
    });
    return found;
  }

  /** The text a screen reader reads inside a node: its static text, in order. */
  text(node: AxNode): string {
    const parts: string[] = [];
    const walk = (n: AxNode) => {
      if (n.role === 'StaticText' && !n.ignored) parts.push(n.name);
      else
        for (const id of n.childIds) {
          const child = this.byId.get(id);
          if (child) walk(child);
        }
    };
    walk(node);
    return parts.join(' ').replace(/\s+/g, ' ').trim();
  }
}

function matches(node: AxNode, query: AxQuery): boolean {
  if (query.role !== undefined && node.role !== query.role) return false;
  if (query.level !== undefined && node.level !== query.level) return false;
  if (query.name === undefined) return true;
  const name = node.name.replace(/\s+/g, ' ').trim();
  if (query.name instanceof RegExp) return query.name.test(name);
  const wanted = query.name.replace(/\s+/g, ' ').trim();
  return query.exact ? name === wanted : name.toLowerCase().includes(wanted.toLowerCase());
}

function toNode(raw: RawNode): AxNode {
  const prop = (name: string) => raw.properties?.find((p) => p.name === name)?.value.value;
  const expanded = prop('expanded');
  const level = prop('level');
  return {
    id: raw.nodeId,
    role: String(raw.role?.value ?? ''),
    name: String(raw.name?.value ?? ''),
    backendNodeId: raw.backendDOMNodeId,
    parentId: raw.parentId,
    childIds: raw.childIds ?? [],
    ignored: raw.ignored,
    focused: prop('focused') === true,
    expanded: typeof expanded === 'boolean' ? expanded : undefined,
    level: typeof level === 'number' ? level : undefined,
  };
}

/** A page's accessibility tree, read and used over one DevTools session. */
export class Ax {
  private constructor(
    readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  static async attach(page: Page): Promise<Ax> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('Accessibility.enable');
    return new Ax(page, cdp);
  }

  /** The whole tree now (ignored nodes kept, so that nesting is right). */
  async snapshot(): Promise<AxSnapshot> {
    const { nodes } = (await this.cdp.send('Accessibility.getFullAXTree')) as unknown as { nodes: RawNode[] };
    return new AxSnapshot(nodes.map(toNode));
  }

  async find(...chain: AxQuery[]): Promise<AxNode[]> {
    return (await this.snapshot()).find(...chain);
  }

  async count(...chain: AxQuery[]): Promise<number> {
    return (await this.find(...chain)).length;
  }

  /** The one node the chain names; throws when there is none or more than one. */
  async get(...chain: AxQuery[]): Promise<AxNode> {
    const found = await this.find(...chain);
    if (found.length !== 1) throw new Error(`${found.length} accessibility nodes match ${describe(chain)}`);
    return found[0];
  }

  /** The first node the chain names, once there is one (polls up to `timeout` ms). */
  async waitFor(chain: AxQuery[], timeout = 10_000): Promise<AxNode> {
    const until = Date.now() + timeout;
    for (;;) {
      const [first] = await this.find(...chain);
      if (first) return first;
      if (Date.now() > until) throw new Error(`no accessibility node matches ${describe(chain)} after ${timeout} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The text a screen reader reads inside the node, as the tree is now. */
  async text(node: AxNode): Promise<string> {
    const tree = await this.snapshot();
    const now = tree.byId.get(node.id);
    return now ? tree.text(now) : '';
  }

  /** Whether the node has the keyboard focus, as the tree says. */
  async isFocused(node: AxNode): Promise<boolean> {
    const tree = await this.snapshot();
    return [...tree.byId.values()].some((n) => n.focused && n.backendNodeId === node.backendNodeId);
  }

  /** The element's box in viewport pixels, or null when it has none. */
  async box(node: AxNode): Promise<{ x: number; y: number; width: number; height: number } | null> {
    const { quads } = (await this.cdp.send('DOM.getContentQuads', { backendNodeId: this.backend(node) }).catch(() => ({ quads: [] }))) as { quads: number[][] };
    if (!quads.length) return null;
    const xs = quads[0].filter((_, i) => i % 2 === 0);
    const ys = quads[0].filter((_, i) => i % 2 === 1);
    const box = { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
    return box.width > 0 && box.height > 0 ? box : null;
  }

  /** Visible as Playwright means it: a non-empty box and not `visibility: hidden`. */
  async isVisible(node: AxNode): Promise<boolean> {
    return (await this.box(node)) !== null && (await this.call(node, 'function () { return getComputedStyle(this).visibility !== "hidden"; }')) === true;
  }

  /** A computed style property of the element (the DevTools' own view, not a page script's). */
  async style(node: AxNode, property: string): Promise<string> {
    return String(await this.call(node, `function () { return getComputedStyle(this).getPropertyValue(${JSON.stringify(property)}); }`));
  }

  /**
   * A real mouse click at the centre of the element, scrolled into view first. Throws when another
   * element covers that point, as a person could not click it either.
   */
  async click(node: AxNode): Promise<void> {
    const backendNodeId = this.backend(node);
    await this.cdp.send('DOM.scrollIntoViewIfNeeded', { backendNodeId });
    const box = await this.box(node);
    if (!box) throw new Error(`${node.role} "${node.name}" has no box to click`);
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    // Hit-tested in the element's own tree (a closed shadow root's own elementFromPoint): what a
    // click there lands on, retargeted as the page would see it, must be the element or inside it.
    const hitsIt = await this.call(
      node,
      'function (x, y) { const root = this.getRootNode(); const hit = (root.elementFromPoint ? root : document).elementFromPoint(x, y); return hit !== null && (hit === this || this.contains(hit)); }',
      [{ value: x }, { value: y }],
    );
    if (hitsIt !== true) throw new Error(`${node.role} "${node.name}" is covered at (${x}, ${y})`);
    await this.page.mouse.click(x, y);
  }

  /** Gives the element the keyboard focus, as Tab would land on it. */
  async focus(node: AxNode): Promise<void> {
    await this.cdp.send('DOM.focus', { backendNodeId: this.backend(node) });
  }

  async detach(): Promise<void> {
    await this.cdp.detach().catch(() => undefined);
  }

  private backend(node: AxNode): number {
    if (node.backendNodeId === undefined) throw new Error(`${node.role} "${node.name}" has no DOM node`);
    return node.backendNodeId;
  }

  /** Runs a function with the element as `this`, through the DevTools (the test's view, not the page's). */
  private async call(node: AxNode, functionDeclaration: string, args: ({ objectId: string } | { value: unknown })[] = []): Promise<unknown> {
    const { object } = (await this.cdp.send('DOM.resolveNode', { backendNodeId: this.backend(node) })) as { object: { objectId: string } };
    try {
      const { result, exceptionDetails } = (await this.cdp.send('Runtime.callFunctionOn', {
        objectId: object.objectId,
        functionDeclaration,
        arguments: args,
        returnByValue: true,
      })) as { result: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } };
      if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
      return result.value;
    } finally {
      await this.cdp.send('Runtime.releaseObject', { objectId: object.objectId }).catch(() => undefined);
    }
  }
}

function describe(chain: AxQuery[]): string {
  return chain.map((q) => `${q.role ?? '*'}${q.name === undefined ? '' : ` "${q.name}"`}`).join(' > ');
}
