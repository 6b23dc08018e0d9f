#!/usr/bin/env node
'use strict';
require('./load.cjs')().exports.run('xenstore-read', process.argv.slice(2));
