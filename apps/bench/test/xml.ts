/** A small well-formedness check of the SVG the bench writes: tags nest and close, attributes are quoted. */
export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos|#\d+);)/g;
  let match: RegExpExecArray | null;
  let elements = 0;
  while ((match = token.exec(text)) !== null) {
    const [whole, closing, name, , selfClosing] = match;
    if (whole === '<') {
      problems.push(`a stray "<" at ${match.index}`);
      continue;
    }
    if (whole.startsWith('&')) {
      problems.push(`an unescaped "&" at ${match.index}`);
      continue;
    }
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}> at ${match.index}`);
    } else {
      elements++;
      if (!selfClosing) stack.push(name!);
    }
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(', ')}`);
  if (elements === 0) problems.push('no elements');
  return problems;
}
