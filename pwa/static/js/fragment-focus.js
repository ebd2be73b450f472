// After a form posts and the page comes back at the section the form belongs to (its action
// ends in #id, which the redirect keeps), move the keyboard focus there too, so the next Tab
// and a screen reader continue where the person was working. The element has tabindex="-1".
export default function init(element) {
  if (!element.id || window.location.hash !== `#${element.id}`) return;
  element.focus();
}
