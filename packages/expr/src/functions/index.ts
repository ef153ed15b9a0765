// Loads every function family, so that their decorators register them. A new family (a new file
// in this folder) adds one line here; a new function in an existing family touches nothing else.
import "./arithmetic.js";
import "./arithmetic-more.js";
import "./bit.js";
import "./cast.js";
import "./cast-time.js";
import "./compare.js";
import "./compare-more.js";
import "./control.js";
import "./in.js";
import "./like.js";
import "./logical.js";
