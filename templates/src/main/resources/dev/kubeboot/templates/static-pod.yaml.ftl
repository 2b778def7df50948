<#-- A kubeadm control-plane static pod. Layout only: every value comes computed in `pod`
     (dev.kubeboot.templates.StaticPod); keys in the order kubeadm's serializer writes them.
     Strings are auto-escaped into YAML scalars; numbers print as YAML numbers. -->
<#macro probe p>
<#if p.failureThreshold != 0>
      failureThreshold: ${p.failureThreshold}
</#if>
      httpGet:
<#if p.host?has_content>
        host: ${p.host}
</#if>
        path: ${p.path}
<#if p.port.named>
        port: ${p.port.name}
<#else>
        port: ${p.port.number}
</#if>
        scheme: ${p.scheme}
<#if p.initialDelaySeconds != 0>
      initialDelaySeconds: ${p.initialDelaySeconds}
</#if>
<#if p.periodSeconds != 0>
      periodSeconds: ${p.periodSeconds}
</#if>
<#if p.timeoutSeconds != 0>
      timeoutSeconds: ${p.timeoutSeconds}
</#if>
</#macro>
apiVersion: v1
kind: Pod
metadata:
<#if pod.annotations?has_content>
  annotations:
<#list pod.annotations as key, value>
    ${key}: ${value}
</#list>
</#if>
<#if pod.creationTimestampNull>
  creationTimestamp: null
</#if>
  labels:
<#list pod.labels as key, value>
    ${key}: ${value}
</#list>
  name: ${pod.name}
  namespace: ${pod.namespace}
spec:
  containers:
  - command:
<#list pod.command as arg>
    - ${arg}
</#list>
<#if pod.env?has_content>
    env:
<#list pod.env as e>
    - name: ${e.name}
<#if e.value?has_content>
      value: ${e.value}
</#if>
</#list>
</#if>
    image: ${pod.image}
    imagePullPolicy: ${pod.imagePullPolicy}
<#if pod.livenessProbe??>
    livenessProbe:
<@probe pod.livenessProbe/>
</#if>
    name: ${pod.name}
<#if pod.ports?has_content>
    ports:
<#list pod.ports as port>
    - containerPort: ${port.containerPort}
      name: ${port.name}
      protocol: ${port.protocol}
</#list>
</#if>
<#if pod.readinessProbe??>
    readinessProbe:
<@probe pod.readinessProbe/>
</#if>
<#if pod.resourceRequests?has_content>
    resources:
      requests:
<#list pod.resourceRequests as resource, quantity>
        ${resource}: ${quantity}
</#list>
<#else>
    resources: {}
</#if>
<#if pod.startupProbe??>
    startupProbe:
<@probe pod.startupProbe/>
</#if>
<#if pod.volumeMounts?has_content>
    volumeMounts:
<#list pod.volumeMounts as m>
    - mountPath: ${m.mountPath}
      name: ${m.name}
<#if m.readOnly>
      readOnly: true
</#if>
</#list>
</#if>
<#if pod.hostNetwork>
  hostNetwork: true
</#if>
  priority: ${pod.priority}
  priorityClassName: ${pod.priorityClassName}
  securityContext:
    seccompProfile:
      type: ${pod.seccompProfileType}
<#if pod.volumes?has_content>
  volumes:
<#list pod.volumes as v>
  - hostPath:
      path: ${v.path}
      type: ${v.type}
    name: ${v.name}
</#list>
</#if>
status: {}
