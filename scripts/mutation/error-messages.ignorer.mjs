// The one exclusion of `npm run test:mutation`: the text of error messages. Tests state which
// error a rule raises (its code, its category, its details' fields), never its wording, so a
// mutant that only rewrites a message is not worth a test. Only the argument that carries the
// message is ignored; the code, category, details and the condition that throws stay mutated.

/** Callee name -> positions of arguments that only ever end up in an error's message. */
const MESSAGE_ARGUMENTS = {
  // new DomainError(code, message, category?, details?); ruleBroken(code, message)
  DomainError: [1],
  ruleBroken: [1],
  // new NotFoundError(what, id): `what` ('Loan', 'SHG') is only the message's noun
  NotFoundError: [0],
  Error: [0],
  RangeError: [0],
  TypeError: [0],
  // assertPaise(value, field): the field names the value in the RangeError's message
  assertPaise: [1],
  assertNonNegativePaise: [1],
  // date_out_of_order names its field in its details (mutated); dependsOn is message only
  requireNotBefore: [3], // requireNotBefore(field, date, earliest, dependsOn)
  dateOutOfOrder: [3], // dateOutOfOrder(field, date, earliest, dependsOn)
  // amount_too_large carries no details: what is message only
  amountTooLarge: [0], // amountTooLarge(what)
  // error factories of the deciders: arguments that only reach the message
  stateForbids: [2], // LoanErrors.stateForbids(loanId, status, action)
  expectStatus: [2], // expectStatus(loan, status, action) -> stateForbids
  invalidFunding: [1], // LoanErrors.invalidFunding(field, message)
  invalid: [1], // CreditLineErrors.invalid(field, message)
};

const calleeName = (callee, path) => {
  if (callee.type === 'Identifier') return callee.name;
  // super(...) in a constructor: the arguments of the class it extends (NotFoundError -> DomainError).
  if (callee.type === 'Super') {
    const superClass = path.findParent((parent) => parent.isClass())?.node.superClass;
    return superClass?.type === 'Identifier' ? superClass.name : undefined;
  }
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') {
    // Member calls count only on the error factories (LoanErrors.invalid, CreditLineErrors.invalid, ...).
    return callee.object.type === 'Identifier' && callee.object.name.endsWith('Errors') ? callee.property.name : undefined;
  }
  return undefined;
};

/** Text: a string or template literal, or a choice between texts ('Network' or 'SHG'). */
const isText = (node) =>
  node.type === 'StringLiteral' ||
  node.type === 'TemplateLiteral' ||
  (node.type === 'ConditionalExpression' && isText(node.consequent) && isText(node.alternate));

export const errorMessagesIgnorer = {
  shouldIgnore(path) {
    const { node, parent } = path;
    if (!parent || !isText(node)) return undefined;
    if (parent.type !== 'CallExpression' && parent.type !== 'NewExpression') return undefined;
    const positions = MESSAGE_ARGUMENTS[calleeName(parent.callee, path)];
    const index = parent.arguments.indexOf(node);
    return positions && positions.includes(index) ? 'The text of an error message: tests pin the error, not its wording' : undefined;
  },
};

// What declareValuePlugin(PluginKind.Ignore, ...) of @stryker-mutator/api returns.
export const strykerPlugins = [{ kind: 'Ignore', name: 'error-messages', value: errorMessagesIgnorer }];
