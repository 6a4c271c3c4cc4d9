'use strict';
const crypto = require('node:crypto');
module.exports = ({ password, iterations }) =>
  crypto.pbkdf2Sync(password, crypto.randomBytes(16), iterations, 32, 'sha256').toString('hex');
