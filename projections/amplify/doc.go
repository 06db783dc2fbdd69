// Package amplify holds the read models of the AMPLIFY context (link
// reports, spec/ops.md §2) and their queries: amplify_reports (one row
// per standing report) and amplify_khusus_posts (the khusus posts a
// client's personnel reported on). The recaps join them with the
// directory's personnel and clients and the social posts' task sets at
// read time. It imports events and projections only.
package amplify
