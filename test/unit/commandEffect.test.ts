import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { classifyLine, classifyScript, Effect } from '../../src/engine/runbook/commandEffect';
import { parseShell } from '../../src/engine/runbook/shellParse';
import { writeWorkspace } from './helpers';

// The command-effect classifier: one answer per command (reads, changes, unknown) with a reason
// naming the tool and verb, read through a shell tokenizer; what it does not know is unknown.

/** Per tool: command, expected effect, and a word the reason must contain (the tool or verb). */
const TABLE: Record<string, [string, Effect, string?][]> = {
  kubectl: [
    ['kubectl -n prod get pods -o wide', 'reads', 'kubectl get'],
    ['kubectl describe node ip-10-0-1-2', 'reads'],
    ['kubectl logs deploy/api --since=10m', 'reads'],
    ['kubectl top pods -A', 'reads'],
    ['kubectl auth can-i delete pods', 'reads', 'can-i'],
    ['kubectl diff -f api.yaml', 'reads'],
    ['kubectl --context prod -n payments apply -f deploy/', 'changes', 'kubectl apply'],
    ['kubectl scale deploy/api --replicas=6', 'changes', 'scale'],
    ['kubectl rollout undo deployment/api', 'changes', 'rollout undo'],
    ['kubectl drain node-1 --ignore-daemonsets', 'changes', 'drain'],
    ['kubectl cordon node-1', 'changes'],
    ['kubectl label ns prod team=sre --overwrite', 'changes'],
    ['kubectl apply --dry-run=server -f api.yaml', 'reads', 'dry-run'],
    ['kubectl exec -n db pg-0 -- psql -c "SELECT 1"', 'reads', 'in a container'],
    ['kubectl exec -it api-0 -- sh', 'unknown', 'opens a shell'],
    ['kubectl frobnicate pods', 'unknown', 'frobnicate'],
  ],
  helm: [
    ['helm list -A', 'reads', 'helm list'],
    ['helm -n prod status api', 'reads'],
    ['helm template api ./chart', 'reads'],
    ['helm history api', 'reads'],
    ['helm upgrade --install api ./chart -f values-prod.yaml', 'changes', 'helm upgrade'],
    ['helm rollback api 41', 'changes', 'helm rollback'],
    ['helm uninstall api', 'changes'],
    ['helm upgrade api ./chart --dry-run', 'reads', 'dry-run'],
    ['helm frob api', 'unknown'],
  ],
  terraform: [
    ['terraform plan -out=tfplan', 'reads', 'terraform plan'],
    ['terraform -chdir=infra show tfplan', 'reads'],
    ['terraform state list', 'reads', 'state list'],
    ['terraform fmt -check -recursive', 'reads'],
    ['terraform apply -auto-approve tfplan', 'changes', 'terraform apply'],
    ['terraform destroy -target=aws_instance.bastion', 'changes', 'destroy'],
    ['terraform state rm aws_s3_bucket.logs', 'changes', 'state rm'],
    ['terraform import aws_s3_bucket.logs acme-logs', 'changes'],
    ['terragrunt run-all apply', 'changes', 'terragrunt run-all apply'],
    ['tofu taint aws_instance.web', 'changes'],
    ['terraform frob', 'unknown'],
  ],
  aws: [
    ['aws ec2 describe-instances --region eu-west-1', 'reads', 'describe-instances'],
    ['aws s3 ls s3://acme-backups/', 'reads'],
    ['aws sts get-caller-identity', 'reads'],
    ['aws ecs update-service --cluster prod --service api --force-new-deployment', 'changes', 'update-service'],
    ['aws rds delete-db-instance --db-instance-identifier old', 'changes'],
    ['aws ec2 stop-instances --instance-ids i-123', 'changes'],
    ['aws s3 cp build/ s3://acme-site/ --recursive', 'changes'],
    ['aws lambda invoke --function-name cleanup out.json', 'unknown', 'invoke'],
    ['aws ssm start-session --target i-123', 'unknown'],
  ],
  gcloud: [
    ['gcloud compute instances list --project acme', 'reads', 'list'],
    ['gcloud container clusters describe prod --region europe-west1', 'reads'],
    ['gcloud run deploy api --image gcr.io/acme/api:1.2', 'changes', 'deploy'],
    ['gcloud compute instances delete web-1 --zone europe-west1-b', 'changes'],
    ['gcloud sql instances patch db --tier=db-custom-4-16384', 'changes'],
    ['gcloud compute frobnicate web-1', 'unknown'],
  ],
  az: [
    ['az vm list -g prod -o table', 'reads', 'az vm list'],
    ['az aks show -g prod -n aks1', 'reads'],
    ['az vm deallocate -g prod -n vm1', 'changes'],
    ['az group delete -n old-rg --yes', 'changes'],
    ['az webapp config appsettings set -g prod -n api --settings A=1', 'changes'],
    ['az frob thing', 'unknown'],
  ],
  vault: [
    ['vault status', 'reads'],
    ['vault read -field=certificate pki/cert/ca', 'reads', 'vault read'],
    ['vault kv get secret/edge/tls', 'reads', 'kv get'],
    ['vault list pki/certs', 'reads'],
    ['vault write pki/issue/edge common_name=pay.acme.example ttl=2160h', 'changes', 'vault write'],
    ['vault kv put secret/edge/tls @/tmp/cert.json', 'changes', 'kv put'],
    ['vault secrets enable -path=pki pki', 'changes', 'secrets enable'],
    ['vault delete secret/old', 'changes'],
    ['vault frob', 'unknown'],
  ],
  consul: [
    ['consul members', 'reads', 'consul members'],
    ['consul kv get config/api/limit', 'reads'],
    ['consul catalog services', 'reads'],
    ['consul kv put config/api/limit 500', 'changes', 'kv put'],
    ['consul kv delete -recurse config/old', 'changes'],
    ['consul maint -enable -service api', 'changes'],
    ['consul frob', 'unknown'],
  ],
  etcdctl: [
    ['etcdctl endpoint health --cluster', 'reads'],
    ['etcdctl get /registry/leases --prefix --keys-only', 'reads', 'etcdctl get'],
    ['etcdctl member list -w table', 'reads'],
    ['etcdctl put /config/x 1', 'changes'],
    ['etcdctl del /config/x', 'changes', 'del'],
    ['etcdctl defrag --cluster', 'changes'],
    ['etcdctl frob', 'unknown'],
  ],
  docker: [
    ['docker ps -a', 'reads', 'docker ps'],
    ['docker logs --tail 100 api', 'reads'],
    ['docker inspect api', 'reads'],
    ['docker images', 'reads'],
    ['docker run -d --name api acme/api:1.2', 'changes', 'docker run'],
    ['docker rm -f api', 'changes'],
    ['docker stop api', 'changes'],
    ['podman kill api', 'changes'],
    ['docker compose up -d', 'changes'],
    ['docker exec -it api sh', 'unknown'],
    ['docker frob', 'unknown'],
  ],
  systemctl: [
    ['systemctl status nginx', 'reads', 'systemctl status'],
    ['systemctl is-active --quiet nginx', 'reads'],
    ['service nginx status', 'reads'],
    ['sudo systemctl restart nginx', 'changes', 'systemctl restart'],
    ['systemctl stop nginx', 'changes'],
    ['systemctl enable --now nginx', 'changes'],
    ['service haproxy reload', 'changes'],
    ['systemctl frob nginx', 'unknown'],
  ],
  psql: [
    ['psql -h db -c "SELECT count(*) FROM jobs"', 'reads', 'SELECT'],
    ['psql -c "\\dt+"', 'reads'],
    ["psql -c 'EXPLAIN SELECT * FROM jobs'", 'reads'],
    ['psql -c "DELETE FROM jobs WHERE state = \'dead\'"', 'changes', 'DELETE'],
    ['psql -c "ALTER TABLE jobs ADD COLUMN x int"', 'changes', 'ALTER'],
    ['psql -c "GRANT SELECT ON jobs TO reporting"', 'changes'],
    ['psql -c "SELECT pg_terminate_backend(123)"', 'changes', 'pg_terminate_backend'],
    ['psql "$DATABASE_URL"', 'unknown', 'no query'],
    ['psql -f fix.sql', 'unknown', 'fix.sql'],
  ],
  mysql: [
    ['mysql -e "SHOW PROCESSLIST"', 'reads', 'SHOW'],
    ['mysql -uroot -e "SELECT 1"', 'reads'],
    ['mysql -e "DROP DATABASE staging"', 'changes', 'DROP'],
    ['mysql -e "TRUNCATE TABLE sessions"', 'changes', 'TRUNCATE'],
    ['mysql -e "INSERT INTO flags VALUES (1)"', 'changes'],
    ['mysql app < migrate.sql', 'unknown', 'migrate.sql'],
    ['mysql', 'unknown'],
  ],
  mongo: [
    ["mongosh --eval 'db.jobs.find({state: \"dead\"}).count()'", 'reads'],
    ["mongosh --eval 'rs.status()'", 'reads'],
    ["mongosh --eval 'db.jobs.deleteMany({state: \"dead\"})'", 'changes', 'deleteMany'],
    ["mongo --eval 'db.jobs.updateMany({}, {$set: {x: 1}})'", 'changes'],
    ["mongosh --eval 'rs.stepDown()'", 'changes'],
    ['mongosh', 'unknown'],
    ["mongosh --eval 'doSomething()'", 'unknown'],
  ],
  'redis-cli': [
    ['redis-cli -h cache INFO replication', 'reads', 'INFO'],
    ['redis-cli GET session:42', 'reads'],
    ['redis-cli --scan --pattern "session:*"', 'reads'],
    ['redis-cli SET feature:x on', 'changes', 'SET'],
    ['redis-cli DEL session:42', 'changes', 'DEL'],
    ['redis-cli FLUSHALL', 'changes', 'FLUSHALL'],
    ['redis-cli CONFIG SET maxmemory 2gb', 'changes', 'CONFIG SET'],
    ['redis-cli EVAL "return 1" 0', 'unknown'],
    ['redis-cli', 'unknown'],
  ],
  curl: [
    ['curl -fsS https://api.internal/healthz', 'reads', 'GET'],
    ['curl -I https://api.internal/', 'reads', 'HEAD'],
    ['curl -G https://api/search -d q=x', 'reads'],
    ['curl -X POST https://api.internal/admin/flush', 'changes', 'POST'],
    ['curl --request DELETE https://api.internal/cache', 'changes', 'DELETE'],
    ['curl -d \'{"x":1}\' https://api.internal/jobs', 'changes', 'POST'],
    ['curl -XPUT https://es:9200/_cluster/settings --json @s.json', 'changes', 'PUT'],
    ['curl -X FROB https://api', 'unknown'],
  ],
  wget: [
    ['wget -qO- https://api.internal/healthz', 'reads'],
    ['wget --spider https://api.internal/', 'reads'],
    ['wget --post-data "x=1" https://api.internal/jobs', 'changes', 'POST'],
    ['wget https://example.com/tool.tar.gz', 'changes', 'downloads'],
  ],
  httpie: [
    ['http GET api.internal/healthz', 'reads', 'GET'],
    ['http api.internal/jobs state==dead', 'reads'],
    ['http POST api.internal/jobs name=x', 'changes', 'POST'],
    ['http api.internal/jobs name=x', 'changes', 'POST'],
    ['http DELETE api.internal/jobs/1', 'changes'],
    ['http FROB api.internal/x', 'unknown'],
  ],
  ansible: [
    ['ansible-playbook -i prod site.yml --check --diff', 'reads', '--check'],
    ['ansible-playbook site.yml --syntax-check', 'reads'],
    ['ansible all -m ping', 'reads', 'ping'],
    ['ansible web -m setup', 'reads'],
    ['ansible-playbook -i prod site.yml --limit web', 'changes', 'ansible-playbook'],
    ['ansible web -m apt -a "name=nginx state=latest"', 'changes', 'apt'],
    ["ansible web -m shell -a 'uptime'", 'reads', 'uptime'],
    ["ansible web -m shell -a './fix.sh'", 'unknown', 'fix.sh'],
  ],
  git: [
    ['git status', 'reads'],
    ['git log --oneline -5', 'reads'],
    ['git push --dry-run origin main', 'reads'],
    ['git push origin main', 'changes', 'git push'],
    ['git push --force-with-lease origin release', 'changes'],
    ['git commit -am "bump"', 'changes'],
  ],
  redirections: [
    ['echo "max_connections = 500" >> /etc/postgresql/postgresql.conf', 'changes', '>>'],
    ['kubectl get deploy api -o yaml > backup.yaml', 'changes', 'backup.yaml'],
    ['echo 1 | sudo tee /proc/sys/vm/drop_caches', 'changes', 'tee'],
    ['echo done > /dev/null 2>&1', 'reads'],
    ['kubectl get pods 2>&1 | tee /dev/null', 'reads'],
    ['./report.sh > report.txt', 'changes', 'custom script'],
  ],
  'files and processes': [
    ['rm -rf /var/lib/app/cache', 'changes', 'rm'],
    ['mv /etc/nginx/sites-enabled/old /tmp/', 'changes', 'mv'],
    ['dd if=/dev/zero of=/dev/sdb bs=1M', 'changes', 'dd'],
    ['chmod 600 /etc/app/key.pem', 'changes', 'chmod'],
    ['chown app: /var/lib/app', 'changes'],
    ['kill -9 1234', 'changes', 'kill'],
    ['kill -0 1234', 'reads'],
    ['sed -i "s/a/b/" /etc/app.conf', 'changes', 'sed -i'],
    ['sed -n 1,5p /etc/app.conf', 'reads'],
  ],
  'read-only utilities': [
    ['cat /etc/resolv.conf', 'reads', 'cat'],
    ['grep -r ERROR /var/log/app | tail -20', 'reads'],
    ['ls -la /var/lib/app', 'reads'],
    ['echo $KUBECONFIG', 'reads'],
    ['jq .status response.json', 'reads'],
    ['dig +short api.internal', 'reads'],
    ['ping -c 3 10.0.0.1', 'reads'],
    ['ps aux | grep nginx', 'reads'],
    ['df -h', 'reads'],
    ['journalctl -u nginx --since "10 min ago"', 'reads'],
    ['openssl x509 -in cert.pem -noout -text', 'reads', 'openssl x509'],
    ['top -b -n1', 'reads'],
  ],
  'custom scripts': [
    ['./rotate.sh --env prod', 'unknown', './rotate.sh is a custom script'],
    ['bash scripts/failover.sh', 'unknown', 'custom script'],
    ['make deploy', 'unknown', 'make deploy'],
    ['npm run cleanup', 'unknown'],
    ['frobnicate --all', 'unknown', 'frobnicate'],
    ['$TOOL do-it', 'unknown', 'variable'],
  ],
};

describe('command-effect classifier', () => {
  for (const [tool, rows] of Object.entries(TABLE)) {
    it(`${tool}: ${[...new Set(rows.map((r) => r[1]))].join(', ')}`, () => {
      const wrong: string[] = [];
      for (const [cmd, effect, word] of rows) {
        const got = classifyLine(cmd);
        if (!got || got.effect !== effect || (word && !got.because.includes(word))) wrong.push(`${cmd} → ${got?.effect}: ${got?.because} (expected ${effect}${word ? ` naming "${word}"` : ''})`);
      }
      assert.deepEqual(wrong, []);
    });
  }

  it('takes the strongest effect of a line: changes > unknown > reads, through pipes, chains and substitutions', () => {
    assert.equal(classifyLine('kubectl get pods | grep api && ./fix.sh')?.effect, 'unknown');
    assert.equal(classifyLine('./check.sh; kubectl delete deploy old')?.effect, 'changes');
    assert.equal(classifyLine('POD=$(kubectl get pods -o name | head -1)')?.effect, 'reads');
    assert.equal(classifyLine('echo "$(kubectl delete ns old)"')?.effect, 'changes');
    assert.equal(classifyLine('for p in $(cat pods.txt); do kubectl delete pod "$p"; done')?.effect, 'changes');
    assert.equal(classifyLine('if kubectl get ns prod; then echo ok; fi')?.effect, 'reads');
    assert.equal(classifyLine('echo "kubectl delete ns prod"')?.effect, 'reads', 'text in quotes is an argument, not a command');
    assert.equal(classifyLine("echo 'DROP TABLE x' # psql -c 'DROP TABLE x'")?.effect, 'reads', 'a comment runs nothing');
  });

  it('looks through sudo, env, time, watch, xargs, timeout, ssh and bash -c', () => {
    const cases: [string, Effect, string][] = [
      ['sudo -u postgres psql -c "VACUUM FULL jobs"', 'changes', 'VACUUM'],
      ['env KUBECONFIG=/tmp/k kubectl get pods', 'reads', 'kubectl get'],
      ['time helm upgrade api ./chart', 'changes', 'helm upgrade'],
      ["watch -n 5 'kubectl get pods'", 'reads', 'kubectl get'],
      ['kubectl get pods -o name | xargs kubectl delete', 'changes', 'kubectl delete'],
      ['timeout 30s kubectl rollout status deploy/api', 'reads', 'rollout status'],
      ["ssh db1 'sudo systemctl restart postgresql'", 'changes', 'systemctl restart'],
      ['bash -c "terraform apply -auto-approve"', 'changes', 'terraform apply'],
      ['nohup ./long-job.sh &', 'unknown', 'custom script'],
    ];
    for (const [cmd, effect, word] of cases) {
      const got = classifyLine(cmd);
      assert.equal(got?.effect, effect, cmd);
      assert.ok(got?.because.includes(word), `${cmd}: ${got?.because}`);
    }
  });

  it('reads queries from here-documents, here-strings and echo pipes', () => {
    assert.equal(classifyScript('psql <<SQL\nSELECT 1;\nDROP TABLE old_events;\nSQL\n')[0].effect, 'changes');
    assert.equal(classifyScript('psql <<-SQL\n\tSELECT count(*) FROM jobs;\n\tSQL\n')[0].effect, 'reads');
    assert.equal(classifyLine('psql <<< "SELECT 1"')?.effect, 'reads');
    assert.equal(classifyLine('echo "FLUSHALL" | redis-cli')?.effect, 'changes');
    assert.equal(classifyLine('echo "INFO" | redis-cli')?.effect, 'reads');
    // The here-document body is data, not commands of the step.
    assert.deepEqual(classifyScript('cat <<EOF\nrm -rf /\nEOF\necho ok').map((e) => e.tool), ['cat', 'echo']);
  });

  it('marks restarts, changes that cannot be undone, backups and local writes for the rollback rule', () => {
    const flags = (cmd: string): string => {
      const e = classifyLine(cmd)!;
      return [e.effect, e.restartLike && 'restart', e.reversible === false && 'irreversible', e.backup && 'backup', e.local && 'local', e.rollback && 'rollback'].filter(Boolean).join(' ');
    };
    assert.equal(flags('kubectl rollout restart deploy/api'), 'changes restart');
    assert.equal(flags('kubectl delete pod api-7f9c'), 'changes restart');
    assert.equal(flags('kubectl -n kube-system delete lease kube-scheduler'), 'changes restart');
    assert.equal(flags('kubectl delete pods --field-selector=status.phase=Failed -A'), 'changes restart');
    assert.equal(flags('oc debug node/worker-0 -- chroot /host crictl ps'), 'changes restart');
    assert.equal(flags('kubectl debug -it api-7f9c --image=busybox'), 'changes restart');
    assert.equal(flags('systemctl restart nginx'), 'changes restart');
    assert.equal(flags('kubectl delete deploy api'), 'changes');
    assert.equal(flags('kubectl rollout undo deploy/api'), 'changes rollback');
    assert.equal(flags('helm rollback api 41'), 'changes rollback');
    assert.equal(flags('kubectl delete crds certificates.cert-manager.io'), 'changes irreversible');
    assert.equal(flags('psql -c "DROP TABLE x"'), 'changes irreversible');
    assert.equal(flags('sudo resize2fs /dev/nvme1n1'), 'changes irreversible');
    assert.equal(flags('aws ec2 modify-volume --volume-id vol-1 --size 500'), 'changes irreversible');
    assert.equal(flags('etcdctl snapshot save /backup/etcd.db'), 'changes backup');
    assert.equal(flags('pg_dump -Fc -f app.dump app'), 'reads backup');
    assert.equal(flags('rm -f /tmp/cert.json'), 'changes local');
    assert.equal(flags('mysql -e "SET PERSIST max_connections = 500"'), 'changes');
  });

  it('gives the command as written through its verb, with offsets in the script', () => {
    const script = 'echo start\nkubectl -n prod \\\n  scale deploy/api --replicas=6\n';
    const e = classifyScript(script)[1];
    assert.equal(e.text, 'kubectl -n prod scale');
    assert.equal(script.slice(e.start, e.end), 'kubectl -n prod \\\n  scale');
  });
});

describe('shell tokenizer', () => {
  it('splits words as a shell does: quotes, escapes, continuations, comments and operators', () => {
    const cmds = parseShell(`FOO=1 kubectl -n "my ns" get 'pods' \\\n  -l app=a\\ b # comment\ncurl -d "{\\"x\\": 1}" https://x | jq . && echo "$(date)" 2>&1 > out.txt`);
    assert.deepEqual(
      cmds.map((c) => [c.assignments.map((w) => w.value), c.words.map((w) => w.value), c.redirects.map((r) => `${r.fd ?? ''}${r.op}${r.target?.value ?? ''}`), c.piped]),
      [
        [['FOO=1'], ['kubectl', '-n', 'my ns', 'get', 'pods', '-l', 'app=a b'], [], false],
        [[], ['curl', '-d', '{"x": 1}', 'https://x'], [], false],
        [[], ['jq', '.'], [], true],
        [[], ['echo', '$(date)'], ['2>&1', '>out.txt'], false],
        [[], ['date'], [], false],
      ],
    );
  });

  it('never throws on unbalanced quotes or brackets', () => {
    for (const s of ['echo "unclosed', "echo 'unclosed", 'echo $(unclosed', 'cat <<EOF\nno end', 'echo `x', '((', ')))', '${', '\\']) {
      assert.doesNotThrow(() => classifyScript(s), s);
    }
  });
});

describe('CLI: opsreview runbook steps', function () {
  this.timeout(20000);
  const RUNBOOK = [
    '# Rotate the edge certificate',
    '',
    '```sh',
    'vault write pki/issue/edge common_name=${DOMAIN} ttl=2160h > /tmp/cert.json',
    '```',
    '',
    '```bash',
    './rotate.sh --env prod',
    '```',
    '',
    '```console',
    '$ kubectl -n ingress get pods',
    'NAME   READY',
    '```',
    '',
  ].join('\n');

  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(args, (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  }

  it('lists each runnable step with line, language, command, effect, because and placeholders (json)', async () => {
    const root = await writeWorkspace({ 'rotate.md': RUNBOOK });
    const r = await run(['runbook', 'steps', path.join(root, 'rotate.md'), '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const steps = JSON.parse(r.out) as { line: number; language: string; command: string; effect: string; because: string; placeholders: string[] }[];
    assert.deepEqual(
      steps.map((s) => [s.line, s.language, s.command, s.effect, s.because, s.placeholders]),
      [
        [4, 'sh', 'vault write pki/issue/edge common_name=${DOMAIN} ttl=2160h > /tmp/cert.json', 'changes', 'vault write changes state: issues a certificate', ['${DOMAIN}']],
        [8, 'bash', './rotate.sh --env prod', 'unknown', './rotate.sh is a custom script: its effect is unknown', []],
        [12, 'console', 'kubectl -n ingress get pods', 'reads', 'kubectl get only reads: lists or shows resources', []],
      ],
    );
  });

  it('prints the steps as text with a summary, and exits 2 on a missing file or bad usage', async () => {
    const root = await writeWorkspace({ 'rotate.md': RUNBOOK });
    const file = path.join(root, 'rotate.md');
    const r = await run(['runbook', 'steps', file]);
    assert.equal(r.code, 0, r.err);
    assert.equal(
      r.out,
      [
        `${file}:4 step 1 (sh): changes`,
        '  vault write pki/issue/edge common_name=${DOMAIN} ttl=2160h > /tmp/cert.json',
        '  because: vault write changes state: issues a certificate',
        '  placeholders: ${DOMAIN}',
        `${file}:8 step 2 (bash): unknown`,
        '  ./rotate.sh --env prod',
        '  because: ./rotate.sh is a custom script: its effect is unknown',
        `${file}:12 step 3 (console): reads`,
        '  kubectl -n ingress get pods',
        '  because: kubectl get only reads: lists or shows resources',
        '3 steps: 1 change state, 1 unknown, 1 only read',
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(root, 'none.md'), '# Nothing to run\n');
    assert.match((await run(['runbook', 'steps', path.join(root, 'none.md')])).out, /no runnable step/);
    const missing = await run(['runbook', 'steps', path.join(root, 'missing.md')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read .*missing\.md: no such file/);
    assert.equal((await run(['runbook', 'list', file])).code, 2);
    assert.equal((await run(['runbook', 'steps', file, '--format', 'sarif'])).code, 2);
    assert.match((await run(['--help'])).out, /opsreview runbook steps <file> \[--format text\|json\]/);
  });
});
