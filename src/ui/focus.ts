/**
 * Moves focus to `target` only when the pressed button took focus with it (focus fell back to the
 * page's body or a node no longer in it): a person who has meanwhile moved on to another control
 * keeps their place (review, helper-34).
 */
export function focusIfLost(target: HTMLElement | null | undefined): void {
  if (!target) return;
  const active = target.ownerDocument.activeElement;
  if (!active || active === target.ownerDocument.body || !active.isConnected) target.focus();
}
