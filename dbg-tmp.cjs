const Dicer = require('@fastify/busboy/deps/dicer/lib/Dicer.js');
const oi = Dicer.prototype._oninfo;
let n=0;
Dicer.prototype._oninfo = function(isMatch, data, start, end){ const r = oi.apply(this, arguments); if ((isMatch || this._pause)) console.log('oninfo', isMatch, end-start, 'pause', this._pause, 'part', !!this._part, this._part && this._part.readableFlowing, this._part && this._part.readableLength); return r; };
