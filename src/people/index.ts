/** The people feature's public face: what other folders may use of it. */
export { emailTaken, emailTakenError, groupsOf, knownPersonWithEmail, personWithEmail } from './queries.js';
