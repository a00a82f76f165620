import type { ChecklistInput } from '../schema';

// A security review of the operations repository: secrets, access, exposure, data, supply chain.
export const security: ChecklistInput = {
  id: 'security',
  title: 'Security review',
  description: 'Secrets out of the repository, least privilege, nothing open that should not be, data encrypted and protected, dependencies pinned and scanned, and an audit trail.',
  sections: [
    {
      id: 'secrets',
      title: 'Secrets',
      items: [
        {
          id: 'no-hardcoded-secrets',
          text: 'No password, token or key is written in Terraform, Ansible variables or Kubernetes Secrets in the repository.',
          why: 'Secrets belong in a secrets manager; a secret in git is readable by everyone who can clone it, forever.',
          practice: 'secrets-management',
          evidence: { rules: ['terraform/hardcoded-secret', 'ansible/secret-plaintext', 'k8s/secret-literal'] },
        },
        {
          id: 'secrets-not-logged',
          text: 'Tasks that handle secrets keep them out of logs (`no_log: true`).',
          why: 'A vaulted secret printed in a CI log is a leaked secret.',
          practice: 'secrets-management',
          evidence: { rules: ['ansible/no-log-missing'] },
        },
        {
          id: 'secrets-in-vault',
          text: 'Secrets live in a secrets manager (HashiCorp Vault, a cloud secrets manager, SOPS or Sealed Secrets) and are rotated on a schedule.',
          why: 'A secrets manager gives access control, audit and rotation that a file cannot.',
          practice: 'secrets-management',
          manual: true,
        },
      ],
    },
    {
      id: 'access',
      title: 'Access and exposure',
      items: [
        {
          id: 'least-privilege-iam',
          text: 'IAM policies grant named actions on named resources, never `*`.',
          why: 'Least-privilege access control limits what a leaked credential or a bug can do.',
          practice: 'least-privilege',
          evidence: { rules: ['terraform/iam-wildcard'] },
        },
        {
          id: 'no-privileged-containers',
          text: 'No container runs privileged, as root, or may escalate privileges.',
          why: 'A privileged container is the host; least privilege applies to workloads too.',
          practice: 'least-privilege',
          evidence: { rules: ['k8s/privileged'] },
        },
        {
          id: 'no-open-ingress',
          text: 'No security group is open to the internet except on the public ports.',
          why: 'Every port open to 0.0.0.0/0 is found by scanners within hours.',
          practice: 'network-exposure',
          evidence: { rules: ['terraform/open-ingress'] },
        },
        {
          id: 'access-reviewed',
          text: 'Production access was reviewed this quarter: who has it and why; break-glass access is logged.',
          why: 'Regular security audits find the access nobody remembers granting.',
          practice: 'least-privilege',
          manual: true,
        },
      ],
    },
    {
      id: 'data',
      title: 'Data protection',
      items: [
        {
          id: 'encryption-at-rest',
          text: 'Volumes, databases and buckets are encrypted at rest.',
          why: 'Data encryption is a baseline control of every regulation the guide names.',
          practice: 'encryption-at-rest',
          evidence: { rules: ['terraform/unencrypted-storage'] },
        },
        {
          id: 'no-public-buckets',
          text: 'No bucket is public (ACL, public access block, or a policy for `Principal: "*"`).',
          why: 'Public buckets are the most common cloud data leak.',
          practice: 'data-protection',
          evidence: { rules: ['terraform/public-bucket'] },
        },
        {
          id: 'regulations',
          text: 'The data-protection requirements that apply (GDPR, HIPAA, PCI DSS, data residency) are identified and met: where personal or card data lives, who reads it, how long it is kept.',
          why: 'Compliance is decided by where the data is and who can read it, which only the team can vouch for.',
          practice: 'data-protection',
          manual: true,
        },
        {
          id: 'audit-logging',
          text: 'Audit logging is on (CloudTrail or the platform\'s equivalent) and retained for the period the regulations require.',
          why: 'Without an audit trail, an incident cannot be reconstructed and an audit cannot be passed.',
          practice: 'data-protection',
          manual: true,
        },
      ],
    },
    {
      id: 'supply-chain',
      title: 'Patches and supply chain',
      items: [
        {
          id: 'pinned-dependencies',
          text: 'Providers, modules, CI actions, packages and images are pinned to versions (actions to a commit SHA).',
          why: 'Unpinned dependencies change under you: a compromised tag or a new major version ships without review.',
          practice: 'supply-chain-pinning',
          evidence: { rules: ['terraform/provider-unpinned', 'terraform/module-unpinned', 'deploy/action-unpinned', 'ansible/package-latest', 'k8s/image-latest'] },
        },
        {
          id: 'image-scanning',
          text: 'Images are scanned for vulnerabilities in the pipeline.',
          why: 'Container image scanning catches known vulnerabilities before they run in production.',
          practice: 'patch-management',
          evidence: { rules: ['deploy/scan-missing'] },
        },
        {
          id: 'patch-level',
          text: 'Hosts and base images are on a supported patch level; open critical vulnerabilities have a dated plan (rated, tested in staging, deployed, verified).',
          why: 'Patch management is an automated process: collect, rate urgency, test in staging, deploy, monitor and verify.',
          practice: 'patch-management',
          manual: true,
        },
        {
          id: 'sast',
          text: 'Static analysis (SAST) and a dependency audit ran on the change, and their findings are triaged.',
          why: 'SAST and vulnerability scanning find what review misses.',
          practice: 'patch-management',
          manual: true,
        },
      ],
    },
  ],
};
