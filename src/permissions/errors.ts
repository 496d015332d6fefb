/** Refusals the permission module raises while changing who holds what. */

/** A grant or removal the actor may not make; `field` is the form field it belongs beside. */
export class GrantError extends Error {
  constructor(
    message: string,
    readonly field: string = 'roles',
  ) {
    super(message);
  }
}
