/** What people would rather look at than read: PNG plots (XChart) and self-contained HTML reports. */
package dev.vlltr.runtime.report;
